//! # security.E101: CSRF failure view takes the wrong arguments
//!
//! ## What it does
//! Fires when `CSRF_FAILURE_VIEW` resolves to a function of the project whose signature cannot
//! accept the call Django makes, which Django tests as
//! `inspect.signature(view).bind(None, reason=None)`. Typical causes: no `reason` parameter and no
//! `**kwargs`; `reason` as the first parameter, or positional-only (before `/`); another parameter
//! without a default. djguard follows the dotted path (or a function object assigned in the
//! settings) into the project's modules, through `from ... import` re-exports and
//! `name = lambda ...` assignments. Decorated views, classes, and views outside the project are
//! reported as undecided; Django's default `django.views.csrf.csrf_failure` always passes. The
//! check exists from Django 3.2 and is not deploy-only: it runs on every `manage.py check`.
//!
//! ## Why is this bad?
//! Django calls this view whenever it rejects a request for CSRF reasons, passing the reason as a
//! keyword argument. If the signature does not fit, that call raises `TypeError`, so a user whose
//! CSRF cookie is missing or stale, or an attacker probing the site, gets a 500 Server Error
//! instead of a 403: errors flood the logs and, with `DEBUG` on, a traceback is shown. Because E101
//! is an Error on the ordinary check, `manage.py check` fails and commands that run the system
//! checks, such as `runserver` and `migrate`, refuse to continue.
//!
//! ## Example
//! ```python
//! # settings.py
//! CSRF_FAILURE_VIEW = "myproject.views.csrf_failure"
//!
//! # myproject/views.py
//! def csrf_failure(request):  # no `reason` parameter
//!     return render(request, "403_csrf.html", status=403)
//! ```
//!
//! ## Fix
//! Accept the reason as a keyword argument with a default, and answer with status 403:
//! ```python
//! def csrf_failure(request, reason=""):
//!     return render(request, "403_csrf.html", status=403)
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
