//! # security.W008: HTTP is not redirected to HTTPS
//!
//! ## What it does
//! Fires when SecurityMiddleware is enabled and SECURE_SSL_REDIRECT is not `True`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_SSL_REDIRECT = False
//! ```
//!
//! ## Fix
//! `SECURE_SSL_REDIRECT = True` (with SECURE_PROXY_SSL_HEADER set correctly behind a proxy).
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W008",
        title: "HTTP is not redirected to HTTPS",
        severity: Severity::Medium,
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
        cx.is_true("SECURE_SSL_REDIRECT"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_SSL_REDIRECT",
            format!(
                "{} (it must be exactly True), so Django serves plain-HTTP requests instead of redirecting them to HTTPS.",
                cx.get("SECURE_SSL_REDIRECT").describe()
            ),
            "Set SECURE_SSL_REDIRECT = True, or make sure the load balancer or proxy redirects every HTTP request (then silence this check).",
        )
    })
}
