//! # security.W022: No Referrer-Policy header
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled and SECURE_REFERRER_POLICY is None.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_REFERRER_POLICY = None
//! ```
//!
//! ## Fix
//! `SECURE_REFERRER_POLICY = "same-origin"`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W022",
        title: "No Referrer-Policy header",
        severity: Severity::Low,
        cwe: Some(200),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let cond = all_of([
        cx.security_middleware(),
        cx.is_none("SECURE_REFERRER_POLICY"),
    ]);
    fire_if(cond, || {
        Hit::new(
            "SECURE_REFERRER_POLICY",
            format!(
                "{}, so no Referrer-Policy header is sent and full URLs (with tokens in query strings) leak to other sites.",
                cx.get("SECURE_REFERRER_POLICY").describe()
            ),
            "Set SECURE_REFERRER_POLICY = \"same-origin\" (Django's default since 3.1) or \"strict-origin-when-cross-origin\".",
        )
    })
}
