//! # security.E023: Invalid SECURE_REFERRER_POLICY
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled and SECURE_REFERRER_POLICY holds a value that is not a valid Referrer-Policy token (a string is split on commas and stripped; any other iterable is taken as is).
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_REFERRER_POLICY = "same-origin; strict-origin"  # ";" is not a separator
//! ```
//!
//! ## Fix
//! `SECURE_REFERRER_POLICY = "same-origin"`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E023",
        title: "Invalid SECURE_REFERRER_POLICY",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const VALID: &[&str] = &[
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.security_middleware()? || cx.is_none("SECURE_REFERRER_POLICY")? {
        return Ok(Vec::new());
    }
    let setting = cx.get("SECURE_REFERRER_POLICY");
    let tokens: Vec<Value> = match &setting.value {
        Value::Str(s) => s
            .split(',')
            .map(|t| Value::Str(t.trim().to_string()))
            .collect(),
        other => other
            .iter_elements()
            .map_err(|u| Unknown::new(format!("SECURE_REFERRER_POLICY: {}", u.reason)))?,
    };
    let mut invalid = Vec::new();
    for t in &tokens {
        if !t.hashable()? {
            return Err(Unknown::new(
                "SECURE_REFERRER_POLICY holds an unhashable item, which makes Django's check raise an exception",
            ));
        }
        if !matches!(t, Value::Str(s) if VALID.contains(&s.as_str())) {
            invalid.push(t.repr());
        }
    }
    if invalid.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "SECURE_REFERRER_POLICY",
        format!(
            "SECURE_REFERRER_POLICY = {} contains {}, which is not a valid Referrer-Policy value.",
            setting.value.repr(),
            invalid.join(", ")
        ),
        format!(
            "Use one or more of: {} (comma-separated string or a list).",
            VALID.join(", ")
        ),
    )])
}
