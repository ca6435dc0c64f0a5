//! # security.W019: X_FRAME_OPTIONS is not DENY
//!
//! ## What it does
//! Fires when XFrameOptionsMiddleware is enabled and X_FRAME_OPTIONS is not exactly the string `"DENY"`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! X_FRAME_OPTIONS = "SAMEORIGIN"
//! ```
//!
//! ## Fix
//! `X_FRAME_OPTIONS = "DENY"`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W019",
        title: "X_FRAME_OPTIONS is not DENY",
        severity: Severity::Low,
        cwe: Some(1021),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let deny = cx
        .get("X_FRAME_OPTIONS")
        .value
        .py_eq(&Value::Str("DENY".into()));
    let pass = any_of([not(cx.middleware(XFRAME_MIDDLEWARE)), deny]);
    fire_if(not(pass), || {
        Hit::new(
            "X_FRAME_OPTIONS",
            format!(
                "{}, not 'DENY', so the site's own pages (or, for invalid values, any site) may frame them.",
                cx.get("X_FRAME_OPTIONS").describe()
            ),
            "Set X_FRAME_OPTIONS = \"DENY\" unless the site really frames its own pages (then silence this check).",
        )
    })
}
