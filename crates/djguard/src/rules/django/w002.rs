//! # security.W002: XFrameOptionsMiddleware is not enabled
//!
//! ## What it does
//! Fires when `django.middleware.clickjacking.XFrameOptionsMiddleware` is not in MIDDLEWARE.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! ```
//!
//! ## Fix
//! Add `"django.middleware.clickjacking.XFrameOptionsMiddleware"` to MIDDLEWARE.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W002",
        title: "XFrameOptionsMiddleware is not enabled",
        severity: Severity::Medium,
        cwe: Some(1021),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    fire_if(not(cx.middleware(XFRAME_MIDDLEWARE)), || {
        Hit::new(
            "MIDDLEWARE",
            format!(
                "MIDDLEWARE does not contain '{XFRAME_MIDDLEWARE}', so pages are sent without an X-Frame-Options header and can be framed by other sites (clickjacking)."
            ),
            format!("Add '{XFRAME_MIDDLEWARE}' to MIDDLEWARE."),
        )
    })
}
