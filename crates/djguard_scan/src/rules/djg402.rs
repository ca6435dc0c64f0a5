//! # DJG402: HTTP not redirected to HTTPS
//!
//! ## What it does
//! Requests the `http://` address and follows its redirects. Fires when plain HTTP serves the
//! page instead of redirecting; when the chain ends on an `http://` URL; when the first redirect
//! does not go to `https://` on the same host (`http://example.com` to `http://www.example.com`
//! and only then to HTTPS, or straight to `https://` on another host, so the browser never
//! records HSTS for the name the user typed); or when any later hop steps back from `https://` to
//! `http://`.
//!
//! ## Why is this bad?
//! The first request to a site is often plain HTTP: a typed bare domain, an old link, a
//! bookmark. If that request is answered with content, the visit stays unencrypted, and an
//! attacker on the network can keep every later request on HTTP too ("SSL stripping"), reading
//! passwords and session cookies. An `http` hop in the middle of the chain has the same effect
//! for that request. An off-host first hop is subtler: HSTS learned from
//! `https://www.example.com` does not cover `example.com`, so the next visit to the bare name is
//! exposed again, and the site cannot be HSTS-preloaded.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Set-Cookie: csrftoken=Vq3...; Path=/; SameSite=Lax
//! ```
//!
//! ## Fix
//! In Django:
//! ```python
//! SECURE_SSL_REDIRECT = True
//! # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and overwrites the client's):
//! SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
//! ```
//! Without the proxy header Django sees every request as HTTP and redirects forever. Leave
//! `SECURE_SSL_HOST` at `None` unless you accept an off-host first hop. Or redirect at the web
//! server, to the same host first and to the canonical name afterwards, over HTTPS:
//! ```nginx
//! server {
//!     listen 80;
//!     server_name example.com www.example.com;
//!     return 301 https://$host$request_uri;
//! }
//! ```
//!
//! ## References
//! - Django documentation: Settings, SECURE_SSL_REDIRECT, SECURE_SSL_HOST, SECURE_PROXY_SSL_HEADER
//! - Django system check security.W008
//! - RFC 6797 (HTTP Strict Transport Security), section 7.2
//! - hstspreload.org: submission requirements (redirect to HTTPS on the same host first)
//! - MDN: Strict-Transport-Security
//! - OWASP Transport Layer Security Cheat Sheet
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG402",
        title: "HTTP not redirected to HTTPS",
        severity: Severity::High,
        cwe: Some(319),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
