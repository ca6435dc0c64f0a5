//! # security.W014: Session cookie is not HttpOnly (session middleware)
//!
//! ## What it does
//! Fires when SESSION_COOKIE_HTTPONLY is not on (`is True` since Django 4.1; truthy before) and SessionMiddleware is in MIDDLEWARE but `django.contrib.sessions` is not in INSTALLED_APPS.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SESSION_COOKIE_HTTPONLY = False
//! ```
//!
//! ## Fix
//! `SESSION_COOKIE_HTTPONLY = True`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W014",
        title: "Session cookie is not HttpOnly (session middleware)",
        severity: Severity::Medium,
        cwe: Some(1004),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    session_cookie_outcome(cx, "SESSION_COOKIE_HTTPONLY", false, true, || {
        Hit::new(
            "SESSION_COOKIE_HTTPONLY",
            format!(
                "{} while SessionMiddleware is enabled, so the session cookie is readable by JavaScript, so any XSS can steal the session.",
                cx.get("SESSION_COOKIE_HTTPONLY").describe()
            ),
            "Set SESSION_COOKIE_HTTPONLY = True (the boolean; 1 or \"True\" do not count since Django 4.1).",
        )
    })
}
