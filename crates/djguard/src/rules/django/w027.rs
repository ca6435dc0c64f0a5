//! # security.W027: CSP nonce without the csp context processor
//!
//! ## What it does
//! Fires when ContentSecurityPolicyMiddleware is enabled, a CSP setting uses `CSP.NONCE`, and no DjangoTemplates backend lists `django.template.context_processors.csp`.
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECURE_CSP = {"script-src": [CSP.SELF, CSP.NONCE]}
//! ```
//!
//! ## Fix
//! Add `"django.template.context_processors.csp"` to the template context processors.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

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
