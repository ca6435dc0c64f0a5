//! # security.E026: CSP setting is not a dictionary
//!
//! ## What it does
//! Fires (on every `check`, not only with --deploy) when SECURE_CSP or SECURE_CSP_REPORT_ONLY is neither None nor a dict; once per setting.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_CSP = "default-src 'self'"
//! ```
//!
//! ## Fix
//! `SECURE_CSP = {"default-src": [CSP.SELF]}`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E026",
        title: "CSP setting is not a dictionary",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: false,
    since: (6, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let mut hits = Vec::new();
    for name in ["SECURE_CSP", "SECURE_CSP_REPORT_ONLY"] {
        let s = cx.get(name);
        match &s.value {
            Value::None | Value::Dict(_) => {}
            Value::Unknown(u) => return Err(Unknown::new(format!("{name}: {}", u.reason))),
            other => hits.push(Hit::new(
                name,
                format!("{name} must be a dict of CSP directives but is a {} ({}), so Django refuses it.", other.type_name(), other.repr()),
                format!("Write {name} as a dict, e.g. {name} = {{\"default-src\": [CSP.SELF]}} (from django.utils.csp import CSP)."),
            )),
        }
    }
    Ok(hits)
}
