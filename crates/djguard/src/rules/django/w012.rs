//! # security.W012: Session cookie is not Secure
//!
//! ## What it does
//! Fires when SESSION_COOKIE_SECURE is not on (`is True` since Django 4.1; truthy before) and both the sessions app and SessionMiddleware are enabled.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SESSION_COOKIE_SECURE = 1
//! ```
//!
//! ## Fix
//! `SESSION_COOKIE_SECURE = True`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W012",
        title: "Session cookie is not Secure",
        severity: Severity::Medium,
        cwe: Some(614),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    session_cookie_outcome(cx, "SESSION_COOKIE_SECURE", true, true, || {
        Hit::new(
            "SESSION_COOKIE_SECURE",
            format!(
                "{} while sessions are in use, so the session cookie is sent over plain HTTP, where anyone on the network can steal the session.",
                cx.get("SESSION_COOKIE_SECURE").describe()
            ),
            "Set SESSION_COOKIE_SECURE = True (the boolean; 1 or \"True\" do not count since Django 4.1).",
        )
    })
}
