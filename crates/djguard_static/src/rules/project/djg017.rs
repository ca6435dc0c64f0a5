//! # DJG017: No Content-Security-Policy, or one that allows injected scripts
//!
//! ## What it does
//! Fires when deployment settings send no enforced Content-Security-Policy, or send one whose
//! script sources (`script-src`, else `default-src`) allow what CSP is meant to stop:
//! `'unsafe-eval'`, a wildcard `*`, whole schemes (`http:`, `https:`, `data:`), or
//! `'unsafe-inline'` without a nonce, hash or `'strict-dynamic'` next to it. Both ways of setting
//! a policy count: Django's own (`SECURE_CSP` with
//! `django.middleware.csp.ContentSecurityPolicyMiddleware`, Django 6.0+) and django-csp
//! (`csp.middleware.CSPMiddleware` with `CONTENT_SECURITY_POLICY["DIRECTIVES"]` in version 4,
//! or the `CSP_*` settings of version 3; the middleware alone enforces `default-src 'self'`).
//! Report-only policies do not count as enforced.
//! A project middleware in `MIDDLEWARE` that sets the `Content-Security-Policy` header itself
//! counts as a policy (its content is code djguard does not judge).
//!
//! ## Why is this bad?
//! Autoescaping stops most cross-site scripting, but not all of it: `|safe`, `mark_safe`,
//! JavaScript contexts and third-party widgets slip through. A policy that only allows your own
//! scripts turns such a bug from account takeover into a blocked request and a report. A policy
//! that allows inline scripts or any host blocks nothing an attacker needs.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]  # no CSP middleware
//! SECURE_CSP = {"script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}     # and inline allowed
//! ```
//!
//! ## Fix
//! Django 6.0+:
//! ```python
//! from django.utils.csp import CSP
//! MIDDLEWARE += ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
//! SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
//! ```
//! Use the nonce (`{{ csp_nonce }}`) for the inline scripts you must keep, and start with
//! `SECURE_CSP_REPORT_ONLY` to find what breaks before enforcing.
//!
//! ## References
//! - Django documentation: Content Security Policy (Django 6.0+)
//! - django-csp documentation: Configuring django-csp
//! - MDN: Content-Security-Policy, script-src
//! - CWE-1021 and CWE-79 (defence in depth against cross-site scripting)

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{CSP_MIDDLEWARE, DjangoCx, DjangoRule, Hit, Outcome};
use crate::settings::value::{Known, Unknown, Value};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG017",
        title: "No Content-Security-Policy, or one that allows injected scripts",
        severity: Severity::Medium,
        cwe: Some(79),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const DJANGO_CSP_MIDDLEWARE: &str = "csp.middleware.CSPMiddleware";

/// An enforced policy: where it is written and its directives.
struct Policy {
    setting: &'static str,
    directives: Vec<(String, Value)>,
}

fn directives_of(v: &Value) -> Vec<(String, Value)> {
    match v {
        Value::Dict(items) => items
            .iter()
            .filter_map(|(k, v)| match k {
                Value::Str(name) => Some((name.to_ascii_lowercase(), v.clone())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn policies(cx: &DjangoCx) -> Known<Vec<Policy>> {
    let mut out = Vec::new();
    if cx.version.at_least(6, 0) && cx.middleware(CSP_MIDDLEWARE)? {
        let d = directives_of(&cx.get("SECURE_CSP").value);
        if !d.is_empty() {
            out.push(Policy {
                setting: "SECURE_CSP",
                directives: d,
            });
        }
    }
    if cx.middleware(DJANGO_CSP_MIDDLEWARE)? {
        let v4 = cx.get("CONTENT_SECURITY_POLICY");
        if let Value::Unknown(u) = &v4.value {
            return Err(Unknown::new(format!(
                "CONTENT_SECURITY_POLICY: {}",
                u.reason
            )));
        }
        if v4.origin.is_some() {
            let d = v4
                .value
                .dict_get(&Value::Str("DIRECTIVES".into()))
                .ok()
                .flatten()
                .map(directives_of)
                .unwrap_or_default();
            out.push(Policy {
                setting: "CONTENT_SECURITY_POLICY",
                directives: d,
            });
        } else {
            // django-csp 3 settings, or the middleware's own default (`default-src 'self'`).
            let mut d = Vec::new();
            for (setting, directive) in [
                ("CSP_DEFAULT_SRC", "default-src"),
                ("CSP_SCRIPT_SRC", "script-src"),
            ] {
                let s = cx.get(setting);
                if s.origin.is_some() {
                    d.push((directive.to_string(), s.value));
                }
            }
            if d.is_empty() {
                d.push((
                    "default-src".into(),
                    Value::List(vec![Value::Str("'self'".into())]),
                ));
            }
            let setting = if cx.settings.get("CSP_SCRIPT_SRC").origin.is_some() {
                "CSP_SCRIPT_SRC"
            } else {
                "CSP_DEFAULT_SRC"
            };
            out.push(Policy {
                setting,
                directives: d,
            });
        }
    }
    Ok(out)
}

fn is_nonce_or_hash(v: &Value) -> bool {
    match v {
        Value::Str(s) => {
            s.contains("<CSP_NONCE_SENTINEL>")
                || s.starts_with("'nonce-")
                || s.starts_with("'sha")
                || s == "'strict-dynamic'"
        }
        Value::Object { qualname, .. } => qualname == "csp.constants.NONCE",
        _ => false,
    }
}

/// What makes these script sources weak, if anything.
fn weakness(sources: &Value) -> Known<Option<String>> {
    let items = match sources {
        Value::Str(s) => s.split_whitespace().map(|t| Value::Str(t.into())).collect(),
        other => other.iter_elements()?,
    };
    let has_nonce = items.iter().any(is_nonce_or_hash);
    for item in &items {
        if let Value::Str(s) = item {
            let lower = s.to_ascii_lowercase();
            let bad = match lower.as_str() {
                "'unsafe-eval'" => true,
                "*" | "http:" | "https:" | "data:" => true,
                "'unsafe-inline'" => !has_nonce,
                _ => false,
            };
            if bad {
                return Ok(Some(s.clone()));
            }
        }
    }
    Ok(None)
}

fn check(cx: &DjangoCx) -> Outcome {
    // A project middleware that writes the header itself: its policy is code djguard does
    // not judge, but a policy is sent.
    if cx
        .project_middleware_doing(CSP_MIDDLEWARE, Some("Content-Security-Policy"))
        .is_some()
    {
        return Ok(Vec::new());
    }
    let found = policies(cx)?;
    if found.is_empty() {
        return Ok(vec![Hit::new(
            "MIDDLEWARE",
            "No Content-Security-Policy is enforced, so an injected script runs with the page's full rights.".into(),
            "Enable a policy: on Django 6.0+ add ContentSecurityPolicyMiddleware and SECURE_CSP = {\"default-src\": [CSP.SELF], \"script-src\": [CSP.SELF, CSP.NONCE]}; before that, django-csp.",
        )]);
    }
    let mut hits = Vec::new();
    for policy in found {
        let script = policy
            .directives
            .iter()
            .find(|(k, _)| k == "script-src")
            .or_else(|| policy.directives.iter().find(|(k, _)| k == "default-src"));
        let problem = match script {
            None => Some(
                "has neither script-src nor default-src, so it does not restrict scripts"
                    .to_string(),
            ),
            Some((name, sources)) => weakness(sources)
                .map_err(|u| Unknown::new(format!("{}: {}", policy.setting, u.reason)))?
                .map(|src| format!("allows {src} in {name}")),
        };
        if let Some(problem) = problem {
            hits.push(Hit::new(
                policy.setting,
                format!("The Content-Security-Policy in {} {problem}, so it would not stop an injected script.", policy.setting),
                "Allow scripts only from 'self' and per-response nonces (CSP.NONCE); move inline scripts and handlers into files.",
            ));
        }
    }
    Ok(hits)
}
