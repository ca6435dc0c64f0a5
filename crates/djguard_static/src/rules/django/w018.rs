//! # security.W018: DEBUG is on in deployment
//!
//! ## What it does
//! Fires when `DEBUG` is truthy. Any non-empty string counts as on, so `DEBUG = "False"` or a value
//! read from the environment without conversion (`"0"`, `"false"`) fires. The default is `False`.
//! It exists in every Django release djguard models (3.0 and later). Deploy-only, as in Django
//! (`check --deploy`): djguard skips it for settings modules named like development or test ones
//! (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! With `DEBUG` on, every error shows a technical page to whoever caused it: the traceback with
//! source lines and local variables, most settings (Django hides only names that look secret),
//! request headers and, on 404 pages, the full list of URL patterns, which maps out admin and
//! internal endpoints. Attackers trigger errors on purpose to collect this. Django also records
//! every SQL query in memory, which grows without limit in a long-running process.
//!
//! ## Example
//! ```python
//! DEBUG = "False"  # a non-empty string is true in Python
//! ```
//!
//! ## Fix
//! Turn it off in the settings production uses, and make "off" the value when nothing is
//! configured:
//! ```python
//! import os
//!
//! DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
//! ```
//! There is no legitimate reason to silence this for production settings. djguard does not hold
//! development settings (modules named `dev`, `local`, `test`, ...) to this check unless you pass
//! them with `--settings`.
//!
//! ## References
//! - Django documentation: Settings → DEBUG
//! - Django deployment checklist
//! - Django documentation: How to manage error reporting (filtering sensitive information)
//! - OWASP Error Handling Cheat Sheet
//! - CWE-489: Active Debug Code

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W018",
        title: "DEBUG is on in deployment",
        severity: Severity::High,
        cwe: Some(489),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    fire_if(cx.truthy("DEBUG"), || {
        let s = cx.get("DEBUG");
        let note = if matches!(s.value, Value::Str(_)) {
            " (a non-empty string is true in Python)"
        } else {
            ""
        };
        Hit::new(
            "DEBUG",
            format!(
                "{}{note}: debug pages expose settings, source code and SQL to anyone who triggers an error.",
                s.describe()
            ),
            "Set DEBUG = False in production settings, e.g. DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\" so that it is off unless asked for.",
        )
    })
}
