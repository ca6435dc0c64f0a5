//! # DJG012: Debug tooling installed in production
//!
//! ## What it does
//! Fires when deployment settings install development tools: django-debug-toolbar (`debug_toolbar`
//! app or middleware), django-extensions (`django_extensions`, which brings `runserver_plus` and
//! the Werkzeug debugger) or django-silk (`silk`).
//!
//! ## Why is this bad?
//! These tools show SQL, settings, headers and profiles to whoever can reach them, and the Werkzeug
//! debugger behind `runserver_plus` executes Python typed into an error page. Their safeguards
//! (INTERNAL_IPS, DEBUG) are one misconfiguration away from exposing everything.
//!
//! ## Example
//! ```python
//! INSTALLED_APPS += ["debug_toolbar", "django_extensions"]
//! ```
//!
//! ## Fix
//! Install them only in development settings (`dev.py`) or behind `if DEBUG:`, and keep them out of
//! production requirements.
//!
//! ## References
//! - django-debug-toolbar documentation: Installation
//! - django-extensions documentation: runserver_plus
//! - CWE-489: Active Debug Code

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG012",
        title: "Debug tooling installed in production",
        severity: Severity::High,
        cwe: Some(489),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const TOOLS: &[(&str, &str)] = &[
    ("INSTALLED_APPS", "debug_toolbar"),
    ("INSTALLED_APPS", "django_extensions"),
    ("INSTALLED_APPS", "silk"),
    (
        "MIDDLEWARE",
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    ),
    ("MIDDLEWARE", "silk.middleware.SilkyMiddleware"),
];

fn check(cx: &DjangoCx) -> Outcome {
    let mut found: Vec<&str> = Vec::new();
    let mut anchor: &'static str = "INSTALLED_APPS";
    for (setting, tool) in TOOLS {
        if cx.contains(setting, tool)? {
            if found.is_empty() {
                anchor = setting;
            }
            found.push(tool);
        }
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        anchor,
        format!(
            "Deployment settings install development tooling ({}), which can expose SQL, settings or a code-executing debugger.",
            found.join(", ")
        ),
        "Move these apps and middleware to development settings or behind `if DEBUG:`.",
    )])
}
