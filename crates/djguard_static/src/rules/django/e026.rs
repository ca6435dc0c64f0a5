//! # security.E026: CSP setting is not a dictionary
//!
//! ## What it does
//! Fires when `SECURE_CSP` or `SECURE_CSP_REPORT_ONLY` is neither `None` nor a `dict`, for example
//! a header string or a list; Django reports each offending setting separately. Both default to
//! `{}` (no policy). The settings and the check exist from Django 6.0. Unlike most `security.*`
//! checks it is not deploy-only: it runs on every `manage.py check`, and djguard applies it to
//! every settings module it evaluates. A value djguard cannot evaluate is reported as undecided.
//!
//! ## Why is this bad?
//! Django builds the `Content-Security-Policy` header from a mapping of directive names to lists of
//! sources. A policy written as a ready-made header string, as copied from a proxy configuration or
//! another framework, is not in that form: with the CSP middleware enabled, building the header
//! from it fails, and the policy you meant to enforce never reaches the browser. Because E026 is an
//! Error on the ordinary check, `manage.py check` fails and management commands that run the system
//! checks, such as `runserver` and `migrate`, refuse to continue.
//!
//! ## Example
//! ```python
//! SECURE_CSP = "default-src 'self'; script-src 'self'"
//! ```
//!
//! ## Fix
//! Write the policy as a dict, using the constants from `django.utils.csp` for the keywords:
//! ```python
//! from django.utils.csp import CSP
//!
//! SECURE_CSP = {
//!     "default-src": [CSP.SELF],
//!     "script-src": [CSP.SELF],
//! }
//! ```
//! The header is only sent when `"django.middleware.csp.ContentSecurityPolicyMiddleware"` is in
//! `MIDDLEWARE`. To have no policy, use `{}` (the default) or `None`.
//!
//! ## References
//! - Django documentation: Settings → SECURE_CSP, SECURE_CSP_REPORT_ONLY
//! - Django documentation: How to use Django's Content Security Policy
//! - MDN: Content Security Policy (CSP)
//! - OWASP Content Security Policy Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

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
