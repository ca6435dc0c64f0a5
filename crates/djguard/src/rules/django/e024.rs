//! # security.E024: Invalid SECURE_CROSS_ORIGIN_OPENER_POLICY
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled and SECURE_CROSS_ORIGIN_OPENER_POLICY is not None and not exactly one of `same-origin`, `same-origin-allow-popups`, `unsafe-none`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_CROSS_ORIGIN_OPENER_POLICY = "Same-Origin"
//! ```
//!
//! ## Fix
//! `SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E024",
        title: "Invalid SECURE_CROSS_ORIGIN_OPENER_POLICY",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (4, 0),
    until: None,
    check,
};

const VALID: &[&str] = &["same-origin", "same-origin-allow-popups", "unsafe-none"];

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.security_middleware()? || cx.is_none("SECURE_CROSS_ORIGIN_OPENER_POLICY")? {
        return Ok(Vec::new());
    }
    let setting = cx.get("SECURE_CROSS_ORIGIN_OPENER_POLICY");
    if !setting.value.hashable()? {
        return Err(Unknown::new(
            "SECURE_CROSS_ORIGIN_OPENER_POLICY is unhashable, which makes Django's check raise an exception",
        ));
    }
    if matches!(&setting.value, Value::Str(s) if VALID.contains(&s.as_str())) {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        format!(
            "SECURE_CROSS_ORIGIN_OPENER_POLICY = {} is not a valid Cross-Origin-Opener-Policy value.",
            setting.value.repr()
        ),
        "Use \"same-origin\" (Django's default), \"same-origin-allow-popups\" or \"unsafe-none\" (exact, lower-case).",
    )])
}
