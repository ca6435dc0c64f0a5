//! # DJG421: Cookie SameSite, prefix or Domain problem
//!
//! ## What it does
//! Checks the attributes of every `Set-Cookie` the scan receives. Fires when:
//! - `SameSite` is missing, or its value is not `Strict`, `Lax` or `None`;
//! - `SameSite=None` comes without `Secure` (browsers reject such a cookie);
//! - a name starting with `__Secure-` lacks `Secure`, or one starting with `__Host-` lacks
//!   `Secure`, has a `Domain` or has a `Path` other than `/` (browsers drop these cookies);
//! - `Domain` names a parent of the scanned host (`Domain=example.com` sent by
//!   `app.example.com`), sharing the cookie with every subdomain.
//!
//! ## Why is this bad?
//! `SameSite=Lax` keeps browsers from attaching the cookie to cross-site form posts and
//! subresource requests, a second layer against CSRF and cross-site leaks; browsers disagree on
//! what a missing attribute means, so it should be explicit. Cookies that break the `None` or
//! prefix rules are silently discarded, which breaks logins in ways that are hard to trace. A
//! parent `Domain` sends the session to every subdomain, including a forgotten staging host or a
//! third-party hosted page, and lets any of them set cookies that shadow yours (session fixation,
//! CSRF token overwrites).
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: app.example.com
//!
//! HTTP/1.1 200 OK
//! Set-Cookie: sessionid=k1x...; Domain=example.com; HttpOnly; Path=/; SameSite=None
//! ```
//!
//! ## Fix
//! ```python
//! SESSION_COOKIE_SAMESITE = "Lax"   # the default; "Strict" if no cross-site link needs a login
//! CSRF_COOKIE_SAMESITE = "Lax"
//! SESSION_COOKIE_DOMAIN = None      # host-only cookie, the default
//! CSRF_COOKIE_DOMAIN = None
//! ```
//! Use `"None"` only for cookies that must travel cross-site, and then with the matching
//! `*_COOKIE_SECURE = True`. To use a prefix, for example
//! `SESSION_COOKIE_NAME = "__Host-sessionid"`, also keep `SESSION_COOKIE_SECURE = True`,
//! `SESSION_COOKIE_DOMAIN = None` and `SESSION_COOKIE_PATH = "/"` (renaming the cookie logs
//! everyone out once). The settings side is DJG014.
//!
//! ## References
//! - Django documentation: Settings, SESSION_COOKIE_SAMESITE, CSRF_COOKIE_SAMESITE,
//!   SESSION_COOKIE_DOMAIN, CSRF_COOKIE_DOMAIN
//! - RFC 6265 (HTTP State Management); draft-ietf-httpbis-rfc6265bis (SameSite, cookie prefixes)
//! - MDN: Set-Cookie (SameSite, Domain, cookie prefixes)
//! - OWASP Session Management Cheat Sheet
//! - CWE-1275: Sensitive Cookie with Improper SameSite Attribute

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG421",
        title: "Cookie SameSite, prefix or Domain problem",
        severity: Severity::Low,
        cwe: Some(1275),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
