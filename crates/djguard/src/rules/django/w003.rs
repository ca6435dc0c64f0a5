//! # security.W003: CsrfViewMiddleware is not enabled
//!
//! ## What it does
//! Fires when `django.middleware.csrf.CsrfViewMiddleware` is not in MIDDLEWARE.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
//! ```
//!
//! ## Fix
//! Add `"django.middleware.csrf.CsrfViewMiddleware"` to MIDDLEWARE.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W003",
        title: "CsrfViewMiddleware is not enabled",
        severity: Severity::High,
        cwe: Some(352),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    fire_if(not(cx.middleware(CSRF_MIDDLEWARE)), || {
        Hit::new(
            "MIDDLEWARE",
            format!(
                "MIDDLEWARE does not contain '{CSRF_MIDDLEWARE}', so POST requests are not protected against cross-site request forgery."
            ),
            format!(
                "Add '{CSRF_MIDDLEWARE}' to MIDDLEWARE (after SessionMiddleware), and use @csrf_exempt only on views that truly need it."
            ),
        )
    })
}
