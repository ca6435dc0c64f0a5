//! # security.W005: HSTS does not cover subdomains
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled, SECURE_HSTS_SECONDS is set, and SECURE_HSTS_INCLUDE_SUBDOMAINS is not `True` (the value `1` does not count).
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_HSTS_SECONDS = 31536000
//! SECURE_HSTS_INCLUDE_SUBDOMAINS = 1  # not True
//! ```
//!
//! ## Fix
//! `SECURE_HSTS_INCLUDE_SUBDOMAINS = True`.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W005",
        title: "HSTS does not cover subdomains",
        severity: Severity::Low,
        cwe: Some(319),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let pass = any_of([
        not(cx.security_middleware()),
        not(cx.truthy("SECURE_HSTS_SECONDS")),
        cx.is_true("SECURE_HSTS_INCLUDE_SUBDOMAINS"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            format!(
                "{} (it must be exactly True), so the HSTS policy does not protect subdomains, which an attacker can use to plant cookies over plain HTTP.",
                cx.get("SECURE_HSTS_INCLUDE_SUBDOMAINS").describe()
            ),
            "Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True once every subdomain is served over HTTPS.",
        )
    })
}
