//! # security.W027: CSP nonce without the csp context processor
//!
//! ## What it does
//! Fires when all three hold: `"django.middleware.csp.ContentSecurityPolicyMiddleware"` is in
//! `MIDDLEWARE`; `SECURE_CSP` or `SECURE_CSP_REPORT_ONLY` is a dict in which some directive's value
//! is `CSP.NONCE` or contains it (as a list item, or as a substring of a string value); and no
//! entry of `TEMPLATES` lists `"django.template.context_processors.csp"` in
//! `OPTIONS["context_processors"]`. Any dict entry of `TEMPLATES` counts, whatever its `BACKEND`.
//! djguard resolves `CSP.NONCE` imported from `django.utils.csp`. The check exists from Django 6.1
//! and is not deploy-only: it runs on every `check`.
//!
//! ## Why is this bad?
//! With a nonce in the policy, the browser runs only the inline `<script>` and `<style>` elements
//! that carry the per-request nonce. Templates get that value as `csp_nonce` from the context
//! processor; without it, `nonce="{{ csp_nonce }}"` renders empty, and since nothing used the nonce
//! Django leaves it out of the header. The browser then blocks the very elements the policy meant
//! to allow, and pages break. The usual reaction is to add `'unsafe-inline'`, which throws away
//! CSP's protection against injected scripts.
//!
//! ## Example
//! ```python
//! from django.utils.csp import CSP
//!
//! MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
//! SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
//! TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]
//! ```
//!
//! ## Fix
//! Add the context processor, then write `nonce="{{ csp_nonce }}"` on inline tags:
//! ```python
//! TEMPLATES = [{
//!     "BACKEND": "django.template.backends.django.DjangoTemplates",
//!     "OPTIONS": {"context_processors": [
//!         # ... your existing processors ...
//!         "django.template.context_processors.csp",
//!     ]},
//! }]
//! ```
//! If your templates receive the nonce another way, for example through a Jinja2 environment
//! global, add `"security.W027"` to `SILENCED_SYSTEM_CHECKS` or put
//! `# djguard: ignore[security.W027]` on the `TEMPLATES` line.
//!
//! ## References
//! - Django documentation: How to use Django's Content Security Policy
//! - Django documentation: Templates API → Built-in context processors → csp
//! - MDN: nonce (HTML global attribute); MDN: Content Security Policy (CSP)
//! - CWE-693: Protection Mechanism Failure

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W027",
        title: "CSP nonce without the csp context processor",
        severity: Severity::Low,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: false,
    since: (6, 1),
    until: None,
    check,
};

const NONCE: &str = "<CSP_NONCE_SENTINEL>";
const PROCESSOR: &str = "django.template.context_processors.csp";

/// `_csp_policy_contains_nonce`: only mappings count; a TypeError on one directive is ignored.
fn policy_has_nonce(policy: &Value) -> Known<bool> {
    let Value::Dict(items) = policy else {
        return match policy {
            Value::Unknown(u) => Err(u.clone()),
            _ => Ok(false),
        };
    };
    let nonce = Value::Str(NONCE.into());
    any_of(items.iter().map(|(_, v)| {
        if v.py_eq(&nonce)? {
            return Ok(true);
        }
        match v {
            Value::Unknown(u) => Err(u.clone()),
            other => Ok(other.py_contains(&nonce).unwrap_or(false)),
        }
    }))
}

fn processor_configured(cx: &DjangoCx) -> Known<bool> {
    let templates = cx.get("TEMPLATES").value;
    let items = templates.iter_elements()?;
    any_of(items.iter().map(|t| {
        if !matches!(t, Value::Dict(_)) {
            return Ok(false);
        }
        let options = t
            .dict_get(&Value::Str("OPTIONS".into()))?
            .cloned()
            .unwrap_or(Value::Dict(Vec::new()));
        let processors = options
            .dict_get(&Value::Str("context_processors".into()))?
            .cloned()
            .unwrap_or(Value::List(Vec::new()));
        processors.py_contains(&Value::Str(PROCESSOR.into()))
    }))
    .map_err(|u| Unknown::new(format!("TEMPLATES: {}", u.reason)))
}

fn check(cx: &DjangoCx) -> Outcome {
    let uses_nonce = any_of(["SECURE_CSP", "SECURE_CSP_REPORT_ONLY"].map(|n| {
        policy_has_nonce(&cx.get(n).value).map_err(|u| Unknown::new(format!("{n}: {}", u.reason)))
    }));
    let cond = all_of([
        cx.middleware(CSP_MIDDLEWARE),
        uses_nonce,
        not(processor_configured(cx)),
    ]);
    fire_if(cond, || {
        Hit::new(
            "TEMPLATES",
            format!(
                "The CSP policy uses CSP.NONCE and '{CSP_MIDDLEWARE}' is enabled, but no template backend lists '{PROCESSOR}', so templates cannot print the nonce and nonce-protected scripts will be blocked or left unprotected."
            ),
            format!(
                "Add '{PROCESSOR}' to OPTIONS[\"context_processors\"] of your DjangoTemplates backend."
            ),
        )
    })
}
