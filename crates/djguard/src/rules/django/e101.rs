//! # security.E101: CSRF failure view takes the wrong arguments
//!
//! ## What it does
//! Fires (on every `check`) when CSRF_FAILURE_VIEW resolves to a function that cannot be called as `view(request, reason=...)`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! def csrf_failure(request):  # no `reason` parameter
//!     return render(request, "403_csrf.html", status=403)
//! ```
//!
//! ## Fix
//! Define the view as `def csrf_failure(request, reason=""):`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E101",
        title: "CSRF failure view takes the wrong arguments",
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
        super::failure_view::Resolution::Function { binds: Err(why) } => {
            let view = cx.get("CSRF_FAILURE_VIEW");
            Ok(vec![Hit::new(
                "CSRF_FAILURE_VIEW",
                format!(
                    "CSRF_FAILURE_VIEW = {} cannot be called as view(request, reason=...): {why}.",
                    view.value.repr()
                ),
                "Give the view the signature `def csrf_failure(request, reason=\"\")`.",
            )])
        }
        super::failure_view::Resolution::Unknown(u) => Err(u),
        _ => Ok(Vec::new()),
    }
}
