//! # security.W001: SecurityMiddleware is not enabled
//!
//! ## What it does
//! Fires when `django.middleware.security.SecurityMiddleware` is not in MIDDLEWARE.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
//! ```
//!
//! ## Fix
//! Add `"django.middleware.security.SecurityMiddleware"` as the first entry of MIDDLEWARE.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W001",
        title: "SecurityMiddleware is not enabled",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    fire_if(not(cx.security_middleware()), || {
        Hit::new(
            "MIDDLEWARE",
            format!(
                "MIDDLEWARE does not contain '{SECURITY_MIDDLEWARE}', so the HSTS, nosniff, referrer-policy, COOP and SSL-redirect settings have no effect."
            ),
            format!(
                "Add '{SECURITY_MIDDLEWARE}' near the top of MIDDLEWARE (the exact dotted path; a subclass does not count for Django's check)."
            ),
        )
    })
}
