//! # security.W018: DEBUG is on in deployment
//!
//! ## What it does
//! Fires when DEBUG is truthy (any non-empty string, including "False", counts as on).
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! DEBUG = True
//! ```
//!
//! ## Fix
//! `DEBUG = False` in the settings production uses.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

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
