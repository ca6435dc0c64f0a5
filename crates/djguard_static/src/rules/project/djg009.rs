//! # DJG009: CSRF_TRUSTED_ORIGINS trusts plain HTTP or any host
//!
//! ## What it does
//! Fires when an entry of CSRF_TRUSTED_ORIGINS uses `http://` for a host other than localhost, or
//! is a bare wildcard (`*`, `https://*`, `http://*`) rather than `https://*.example.com`.
//!
//! ## Why is this bad?
//! Trusted origins may send POST requests that pass Django's CSRF origin check. An `http://` origin
//! can be impersonated by anyone on the network path, and a bare wildcard trusts every site, which
//! switches CSRF protection off for browsers that send an Origin header.
//!
//! ## Example
//! ```python
//! CSRF_TRUSTED_ORIGINS = ["http://example.com", "https://*"]
//! ```
//!
//! ## Fix
//! Trust only HTTPS origins you control: `CSRF_TRUSTED_ORIGINS = ["https://example.com",
//! "https://*.example.com"]`.
//!
//! ## References
//! - Django documentation: Settings → CSRF_TRUSTED_ORIGINS
//! - Django documentation: Cross Site Request Forgery protection
//! - CWE-352: Cross-Site Request Forgery

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG009",
        title: "CSRF_TRUSTED_ORIGINS trusts plain HTTP or any host",
        severity: Severity::Medium,
        cwe: Some(352),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn problem(origin: &str) -> Option<&'static str> {
    let lower = origin.to_ascii_lowercase();
    let host = lower.split_once("://").map_or(lower.as_str(), |(_, h)| h);
    if host == "*" || host.is_empty() || lower == "*" {
        return Some("trusts every site");
    }
    let bare = host.split([':', '/']).next().unwrap_or(host);
    if lower.starts_with("http://") && !matches!(bare, "localhost" | "127.0.0.1" | "[::1]") {
        return Some("can be impersonated on the network (plain HTTP)");
    }
    None
}

fn check(cx: &DjangoCx) -> Outcome {
    let s = cx.get("CSRF_TRUSTED_ORIGINS");
    if s.origin.is_none() {
        return Ok(Vec::new());
    }
    let items = s
        .value
        .iter_elements()
        .map_err(|u| Unknown::new(format!("CSRF_TRUSTED_ORIGINS: {}", u.reason)))?;
    let bad: Vec<String> = items
        .iter()
        .filter_map(|v| match v {
            Value::Str(o) => problem(o).map(|why| format!("{o:?} ({why})")),
            _ => None,
        })
        .collect();
    if bad.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "CSRF_TRUSTED_ORIGINS",
        format!(
            "CSRF_TRUSTED_ORIGINS contains {}, which weakens CSRF protection.",
            bad.join(", ")
        ),
        "Trust only HTTPS origins you control, e.g. \"https://example.com\" or \"https://*.example.com\".",
    )])
}
