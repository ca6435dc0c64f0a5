//! # DJG426: Login page at a guessable URL
//!
//! ## What it does
//! Requests `/accounts/login/`, Django's default `LOGIN_URL` and the path used by
//! `django.contrib.auth.urls` and django-allauth, and fires when it serves a login form (a form
//! with a password field). This is information, not a defect: users need a login page, but
//! automated attacks find it at the same place.
//!
//! ## Why is this bad?
//! Bots replay leaked username and password pairs against well-known login paths (credential
//! stuffing) and guess passwords. Django does not limit login attempts by itself, so without
//! throttling the number of attempts is bounded only by the server's capacity.
//!
//! ## Example
//! ```text
//! GET /accounts/login/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//!
//! <form method="post"> ... <input type="password" name="password" ...>
//! ```
//!
//! ## Fix
//! Limit and slow down attempts rather than hide the page: django-axes (`AXES_FAILURE_LIMIT`,
//! `AXES_COOLOFF_TIME`), django-allauth's `ACCOUNT_RATE_LIMITS`, or `limit_req` on the login
//! location in nginx; offer two-factor authentication; keep `AUTH_PASSWORD_VALIDATORS` strict.
//! Moving the page (`LOGIN_URL`) is optional. The settings side is DJG007.
//!
//! ## References
//! - Django documentation: Using the Django authentication system, authentication views
//! - Django documentation: Settings, LOGIN_URL and AUTH_PASSWORD_VALIDATORS
//! - django-axes documentation; django-allauth documentation: rate limits
//! - nginx documentation: ngx_http_limit_req_module
//! - OWASP Credential Stuffing Prevention Cheat Sheet
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG426",
        title: "Login page at a guessable URL",
        severity: Severity::Info,
        cwe: Some(200),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
