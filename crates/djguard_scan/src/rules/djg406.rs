//! # DJG406: HSTS missing or too short
//!
//! ## What it does
//! Reads `Strict-Transport-Security` on the final HTTPS response of the home page. Fires when the
//! header is absent, or when its `max-age` is below six months (15552000 seconds); `max-age=0`
//! counts as absent, since it tells browsers to forget the policy. A header that cannot be parsed
//! is DJG407. Headers sent over plain HTTP are ignored, as browsers ignore them.
//!
//! ## Why is this bad?
//! A redirect from HTTP to HTTPS protects only the visits that reach it unmodified. HSTS makes
//! the browser itself rewrite every later `http://` request to the host into HTTPS, for
//! `max-age` seconds, so an attacker on the network gets no plain request to intercept and the
//! user cannot click through certificate warnings. With a short lifetime the protection lapses
//! for anyone who does not come back in time, which for most users is most of the time.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Strict-Transport-Security: max-age=3600
//! ```
//!
//! ## Fix
//! Once every page and subdomain you care about works over HTTPS, raise the lifetime in steps
//! (browsers keep a policy for its whole `max-age`, so a mistake cannot be taken back quickly):
//! ```python
//! SECURE_HSTS_SECONDS = 3600        # first rollout; then 86400, 2592000, and finally:
//! SECURE_HSTS_SECONDS = 31536000    # one year
//! ```
//! `SecurityMiddleware` adds the header only to requests it sees as secure, so behind a proxy
//! `SECURE_PROXY_SSL_HEADER` must be right. Django's check `security.W004` catches the unset
//! case, not a short one. Alternatively send it from the proxy, and then only from there:
//! `add_header Strict-Transport-Security "max-age=31536000" always;` in nginx.
//!
//! ## References
//! - Django documentation: Middleware, SecurityMiddleware, "HTTP Strict Transport Security"
//! - Django documentation: Settings, SECURE_HSTS_SECONDS; system check security.W004
//! - RFC 6797 (HTTP Strict Transport Security)
//! - MDN: Strict-Transport-Security
//! - OWASP HTTP Strict Transport Security Cheat Sheet
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG406",
        title: "HSTS missing or too short",
        severity: Severity::Medium,
        cwe: Some(319),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
