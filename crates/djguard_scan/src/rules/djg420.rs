//! # DJG420: Session cookie readable by JavaScript
//!
//! ## What it does
//! Fires when the site's session cookie is set without `HttpOnly`: the cookie named by
//! `SESSION_COOKIE_NAME` (default `sessionid`), or another cookie the site evidently uses as its
//! session (a name containing `sess`). Django's CSRF cookie is not reported: Django's
//! documentation notes that making it `HttpOnly` brings no real protection, since a script
//! able to read cookies can read the token from the page's forms as well, and JavaScript
//! clients often need to read it.
//!
//! ## Why is this bad?
//! Any cross-site scripting bug can read `document.cookie` and send the session id to the
//! attacker, who can then use the session from anywhere until it expires, even after the bug is
//! fixed. With `HttpOnly`, injected script can still act inside the page while it is open, but
//! cannot carry the session away.
//!
//! ## Example
//! ```text
//! POST /accounts/login/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 302 Found
//! Location: /
//! Set-Cookie: sessionid=k1x...; Max-Age=1209600; Path=/; SameSite=Lax; Secure
//! ```
//!
//! ## Fix
//! ```python
//! SESSION_COOKIE_HTTPONLY = True   # the default; checks security.W013-W015
//! ```
//! It also governs the `messages` cookie. For session-like cookies your own code sets, pass
//! `httponly=True` to `response.set_cookie()`. Leave `CSRF_COOKIE_HTTPONLY` at `False` unless
//! you know why you need it.
//!
//! ## References
//! - Django documentation: Settings, SESSION_COOKIE_HTTPONLY and CSRF_COOKIE_HTTPONLY
//! - Django system checks security.W013, security.W014, security.W015
//! - MDN: Set-Cookie (HttpOnly); Using HTTP cookies
//! - OWASP Session Management Cheat Sheet
//! - CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG420",
        title: "Session cookie readable by JavaScript",
        severity: Severity::Medium,
        cwe: Some(1004),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
