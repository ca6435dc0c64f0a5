//! # security.W016: CSRF cookie is not Secure
//!
//! ## What it does
//! Fires when CsrfViewMiddleware is enabled, CSRF_USE_SESSIONS is falsy and CSRF_COOKIE_SECURE is not on (`is True` since 4.1).
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! CSRF_COOKIE_SECURE = False
//! ```
//!
//! ## Fix
//! `CSRF_COOKIE_SECURE = True`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W016",
        title: "CSRF cookie is not Secure",
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
    let pass = any_of([
        cx.truthy("CSRF_USE_SESSIONS"),
        not(cx.middleware(CSRF_MIDDLEWARE)),
        cx.cookie_flag_on("CSRF_COOKIE_SECURE"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "CSRF_COOKIE_SECURE",
            format!(
                "{}, so the CSRF cookie is also sent over plain HTTP where it can be read or overwritten.",
                cx.get("CSRF_COOKIE_SECURE").describe()
            ),
            "Set CSRF_COOKIE_SECURE = True.",
        )
    })
}
