//! # security.W006: X-Content-Type-Options: nosniff is not sent
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled and SECURE_CONTENT_TYPE_NOSNIFF is not `True`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_CONTENT_TYPE_NOSNIFF = False
//! ```
//!
//! ## Fix
//! Remove the line (the default is True) or set it to `True`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W006",
        title: "X-Content-Type-Options: nosniff is not sent",
        severity: Severity::Low,
        cwe: Some(693),
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
        cx.is_true("SECURE_CONTENT_TYPE_NOSNIFF"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_CONTENT_TYPE_NOSNIFF",
            format!(
                "{} (it must be exactly True), so responses lack 'X-Content-Type-Options: nosniff' and browsers may sniff uploads as scripts or HTML.",
                cx.get("SECURE_CONTENT_TYPE_NOSNIFF").describe()
            ),
            "Set SECURE_CONTENT_TYPE_NOSNIFF = True (Django's default) or remove the override.",
        )
    })
}
