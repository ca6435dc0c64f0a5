//! # security.E102: CSRF failure view cannot be imported
//!
//! ## What it does
//! Fires (on every `check`) when CSRF_FAILURE_VIEW is not a dotted path or names a module that cannot be imported.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! CSRF_FAILURE_VIEW = "csrf_failure"  # not a dotted path
//! ```
//!
//! ## Fix
//! Use the full dotted path of an existing view.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E102",
        title: "CSRF failure view cannot be imported",
        severity: Severity::Medium,
        cwe: None,
        groups: &["django", "settings"],
    },
    deploy_only: false,
    since: (3, 2),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    match super::failure_view::resolve(cx) {
        super::failure_view::Resolution::ImportFails(why) => {
            let view = cx.get("CSRF_FAILURE_VIEW");
            Ok(vec![Hit::new(
                "CSRF_FAILURE_VIEW",
                format!(
                    "CSRF_FAILURE_VIEW = {} cannot be imported: {why}.",
                    view.value.repr()
                ),
                "Point CSRF_FAILURE_VIEW at an existing view by its full dotted path, e.g. \"myproject.views.csrf_failure\", or remove the setting.",
            )])
        }
        super::failure_view::Resolution::Unknown(u) => Err(u),
        _ => Ok(Vec::new()),
    }
}
