//! # security.E102: CSRF failure view cannot be imported
//!
//! ## What it does
//! Fires when importing `CSRF_FAILURE_VIEW` raises `ImportError` in Django: the value is not a
//! dotted path (it has no `.`), or it names a module inside one of the project's own packages that
//! does not exist and whose parent module does not exist either. When the parent exists but the
//! module or the function is missing, Django does not report E102: the check itself crashes with
//! `ViewDoesNotExist`, and djguard reports that case as undecided. Modules outside the project
//! (installed packages) are undecided too, since their presence depends on the environment. The
//! check exists from Django 3.2 and is not deploy-only: it runs on every `manage.py check`.
//!
//! ## Why is this bad?
//! Django imports the failure view when it rejects a request for CSRF reasons. If the import fails,
//! every rejection, such as a form submitted with an expired token or a forged cross-site request,
//! ends in a 500 Server Error instead of a 403, and the real cause is buried in the error logs.
//! Because E102 is an Error on the ordinary check, `manage.py check` fails and commands that run
//! the system checks, such as `runserver` and `migrate`, refuse to continue.
//!
//! ## Example
//! ```python
//! CSRF_FAILURE_VIEW = "csrf_failure"  # not a dotted path
//! ```
//!
//! ## Fix
//! Give the full dotted path of an existing view that accepts `(request, reason="")`, or delete the
//! setting to use Django's own view:
//! ```python
//! CSRF_FAILURE_VIEW = "myproject.views.csrf_failure"
//! ```
//!
//! ## References
//! - Django documentation: Settings → CSRF_FAILURE_VIEW
//! - Django documentation: Cross Site Request Forgery protection
//! - Django documentation: How to use Django's CSRF protection

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
