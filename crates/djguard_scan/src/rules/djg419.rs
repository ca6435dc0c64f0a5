//! # DJG419: Cookie without the Secure flag
//!
//! ## What it does
//! Checks every `Set-Cookie` the scan receives. Fires when a cookie set on an HTTPS response
//! lacks the `Secure` attribute, or when a cookie set over plain HTTP lacks it although the site
//! also serves HTTPS. High severity for Django's session and CSRF cookies (`SESSION_COOKIE_NAME`
//! and `CSRF_COOKIE_NAME`, by default `sessionid` and `csrftoken`), medium for the others
//! (`django_language`, `messages`, third-party cookies).
//!
//! ## Why is this bad?
//! A cookie without `Secure` is also sent on plain-HTTP requests to the host: a typed bare
//! domain, an old `http://` link, an image in an e-mail. An attacker on the network can trigger
//! such a request and read the cookie; with the session cookie they are logged in as the user,
//! and the CSRF cookie hands over the secret Django's CSRF protection relies on. HSTS narrows
//! this window (DJG406) but does not cover a first visit, an expired policy, or subdomains
//! outside it.
//!
//! ## Example
//! ```text
//! GET /admin/login/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Set-Cookie: csrftoken=Vq3...; Max-Age=31449600; Path=/; SameSite=Lax
//! ```
//!
//! ## Fix
//! ```python
//! SESSION_COOKIE_SECURE = True    # checks security.W010-W012; the messages cookie follows it
//! CSRF_COOKIE_SECURE = True       # check security.W016
//! LANGUAGE_COOKIE_SECURE = True
//! ```
//! For cookies your own code sets, pass `secure=True` to `response.set_cookie()`. For cookies
//! from software you cannot change, nginx (1.19.3+) can add the flag:
//! `proxy_cookie_flags ~ secure;`.
//!
//! ## References
//! - Django documentation: Settings, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE,
//!   LANGUAGE_COOKIE_SECURE
//! - Django deployment checklist: CSRF_COOKIE_SECURE, SESSION_COOKIE_SECURE
//! - RFC 6265, section 4.1.2.5 (the Secure attribute)
//! - MDN: Set-Cookie; Using HTTP cookies
//! - OWASP Session Management Cheat Sheet
//! - CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG419",
        title: "Cookie without the Secure flag",
        severity: Severity::High,
        cwe: Some(614),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
