//! # security.E023: Invalid SECURE_REFERRER_POLICY
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE` and
//! `SECURE_REFERRER_POLICY` is not `None` but holds a token outside the eight valid ones:
//! `no-referrer`, `no-referrer-when-downgrade`, `origin`, `origin-when-cross-origin`,
//! `same-origin`, `strict-origin`, `strict-origin-when-cross-origin`, `unsafe-url`. A string is
//! split on commas and each piece stripped, so `"no-referrer, same-origin"` is valid, while `""`,
//! `"same-origin,"` (empty piece) and anything separated by `;` are not. A list or tuple is taken
//! as is, without stripping, and `[]` passes. Matching is case-sensitive. It is an Error, so
//! `check --deploy` exits with status 1. It exists in every Django release djguard models (3.0 and
//! later). Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules
//! named like development or test ones (`dev`, `local`, `test`, `ci`) unless given with
//! `--settings`.
//!
//! ## Why is this bad?
//! Browsers skip policy tokens they do not recognise; when none is valid, the header has no effect
//! and the browser's default applies, so the policy you meant to set is silently not in force and
//! full URLs may leak to other sites in older browsers. Because Django reports an Error, deployment
//! pipelines that run `manage.py check --deploy` stop.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_REFERRER_POLICY = "same-origin; strict-origin"  # ";" is not a separator
//! ```
//!
//! ## Fix
//! Use one valid token, or several in order of preference (browsers apply the last one they
//! understand):
//! ```python
//! SECURE_REFERRER_POLICY = "same-origin"
//! # or: SECURE_REFERRER_POLICY = ["no-referrer", "strict-origin-when-cross-origin"]
//! ```
//! To send no header at all, use `None` (then W022 applies). An invalid value is never worth
//! silencing.
//!
//! ## References
//! - Django documentation: Settings → SECURE_REFERRER_POLICY
//! - Django documentation: Middleware → Referrer Policy
//! - MDN: Referrer-Policy
//! - W3C Referrer Policy specification
//! - CWE-693: Protection Mechanism Failure

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
