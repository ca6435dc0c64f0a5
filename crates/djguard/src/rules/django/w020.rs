//! # security.W020: ALLOWED_HOSTS is empty
//!
//! ## What it does
//! Fires when ALLOWED_HOSTS is empty.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! ALLOWED_HOSTS = []
//! ```
//!
//! ## Fix
//! `ALLOWED_HOSTS = ["example.com"]`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W020",
        title: "ALLOWED_HOSTS is empty",
        severity: Severity::Medium,
        cwe: None,
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    fire_if(not(cx.truthy("ALLOWED_HOSTS")), || {
        Hit::new(
            "ALLOWED_HOSTS",
            format!(
                "{}, so with DEBUG off every request is rejected with 400 (and teams \"fix\" it with '*').",
                cx.get("ALLOWED_HOSTS").describe()
            ),
            "Set ALLOWED_HOSTS to the site's host names, e.g. ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"].",
        )
    })
}
