//! # DJG401: Site not reachable over HTTPS
//!
//! ## What it does
//! Fires when the `https://` form of the scanned address cannot be used at all: nothing accepts
//! the TCP connection on port 443 (refused or timed out), or the TLS handshake fails (no protocol
//! version or cipher suite in common, a handshake alert, a plain-HTTP server listening on the TLS
//! port). A handshake that completes with a bad certificate is DJG403, not this rule.
//!
//! ## Why is this bad?
//! Without HTTPS every request and response crosses the network in clear text: the passwords
//! typed into the login form, the `sessionid` cookie that stands for a logged-in user, CSRF
//! tokens and the pages themselves. Anyone on the path (shared Wi-Fi, a hotel or office network,
//! a compromised router) can read all of it and change it on the fly. Browsers also label such
//! pages "Not secure" and keep secure-context features (service workers, geolocation, the
//! clipboard API) from them.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1                      (to https://example.com/, port 443)
//! Host: example.com
//! -> TCP connect to example.com:443: connection refused
//!
//! GET / HTTP/1.1                      (to http://example.com/, port 80)
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! ```
//!
//! ## Fix
//! Terminate TLS in front of Django: in nginx, Apache or Caddy with a certificate from an ACME
//! certificate authority such as Let's Encrypt (certbot, or Caddy's built-in client), or at the
//! load balancer or CDN of your hosting platform. Then make Django insist on it:
//! ```python
//! SECURE_SSL_REDIRECT = True
//! # Only behind a proxy that sets this header and strips any value sent by clients:
//! SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
//! SESSION_COOKIE_SECURE = True
//! CSRF_COOKIE_SECURE = True
//! ```
//! and add HSTS once HTTPS works everywhere (DJG406).
//!
//! ## References
//! - Django documentation: Security in Django, "SSL/HTTPS"
//! - Django documentation: Settings, SECURE_SSL_REDIRECT and SECURE_PROXY_SSL_HEADER
//! - Django deployment checklist: HTTPS
//! - MDN: Transport Layer Security; Secure contexts
//! - RFC 8446 (TLS 1.3); RFC 8555 (ACME)
//! - OWASP Transport Layer Security Cheat Sheet
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG401",
        title: "Site not reachable over HTTPS",
        severity: Severity::High,
        cwe: Some(319),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
