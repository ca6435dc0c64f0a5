//! # security.W004: HSTS is not enabled
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled and SECURE_HSTS_SECONDS is falsy (0, None, empty).
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_HSTS_SECONDS = 0
//! ```
//!
//! ## Fix
//! `SECURE_HSTS_SECONDS = 31536000` (one year), after testing with a short value.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W004",
        title: "HSTS is not enabled",
        severity: Severity::Medium,
        cwe: Some(319),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let pass = any_of([
        not(cx.security_middleware()),
        cx.truthy("SECURE_HSTS_SECONDS"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_HSTS_SECONDS",
            format!(
                "{}, so browsers are never told to insist on HTTPS for this site (no Strict-Transport-Security header).",
                cx.get("SECURE_HSTS_SECONDS").describe()
            ),
            "Set SECURE_HSTS_SECONDS = 31536000 once the whole site is served over HTTPS (start with 3600 while testing: browsers remember the policy).",
        )
    })
}
