//! # security.E100: Invalid DEFAULT_HASHING_ALGORITHM
//!
//! ## What it does
//! Django 3.1 and 3.2 only: fires when DEFAULT_HASHING_ALGORITHM is not `sha1` or `sha256`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! DEFAULT_HASHING_ALGORITHM = "md5"
//! ```
//!
//! ## Fix
//! Remove the setting, or `"sha256"`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E100",
        title: "Invalid DEFAULT_HASHING_ALGORITHM",
        severity: Severity::Medium,
        cwe: Some(327),
        groups: &["django", "settings"],
    },
    deploy_only: false,
    since: (3, 1),
    until: Some((4, 0)),
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let s = cx.get("DEFAULT_HASHING_ALGORITHM");
    let ok = any_of([
        s.value.py_eq(&Value::Str("sha1".into())),
        s.value.py_eq(&Value::Str("sha256".into())),
    ]);
    fire_if(
        not(ok).map_err(|u| Unknown::new(format!("DEFAULT_HASHING_ALGORITHM: {}", u.reason))),
        || {
            Hit::new(
                "DEFAULT_HASHING_ALGORITHM",
                format!(
                    "DEFAULT_HASHING_ALGORITHM = {} is not 'sha1' or 'sha256'.",
                    s.value.repr()
                ),
                "Remove DEFAULT_HASHING_ALGORITHM (the setting was transitional and is gone in Django 4.0) or set it to \"sha256\".",
            )
        },
    )
}
