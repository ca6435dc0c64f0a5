//! # security.W021: HSTS preload is not enabled
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled, SECURE_HSTS_SECONDS is set and SECURE_HSTS_PRELOAD is not `True`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_HSTS_SECONDS = 31536000
//! ```
//!
//! ## Fix
//! `SECURE_HSTS_PRELOAD = True`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W021",
        title: "HSTS preload is not enabled",
        severity: Severity::Low,
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
        not(cx.truthy("SECURE_HSTS_SECONDS")),
        cx.is_true("SECURE_HSTS_PRELOAD"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_HSTS_PRELOAD",
            format!(
                "{} (it must be exactly True), so the site cannot join the browsers' HSTS preload list and a first visit can still be downgraded.",
                cx.get("SECURE_HSTS_PRELOAD").describe()
            ),
            "Set SECURE_HSTS_PRELOAD = True (with SECURE_HSTS_SECONDS >= 31536000 and INCLUDE_SUBDOMAINS), then submit the domain to the preload list.",
        )
    })
}
