//! # DJG008: CORS allows any origin with credentials
//!
//! ## What it does
//! Fires when django-cors-headers is configured to accept every origin (`CORS_ALLOW_ALL_ORIGINS` or
//! the old `CORS_ORIGIN_ALLOW_ALL` set to True, or an origin regex that matches anything) while
//! `CORS_ALLOW_CREDENTIALS` is True.
//!
//! ## Why is this bad?
//! With credentials allowed, the browser sends the user's cookies on cross-origin requests and lets
//! the calling page read the response. If any origin is accepted, any website the user visits can
//! read their data from your API and act as them.
//!
//! ## Example
//! ```python
//! CORS_ALLOW_ALL_ORIGINS = True
//! CORS_ALLOW_CREDENTIALS = True
//! ```
//!
//! ## Fix
//! List the origins that need access: `CORS_ALLOWED_ORIGINS = ["https://app.example.com"]`, or keep
//! the wildcard but turn credentials off for a truly public, cookie-free API.
//!
//! ## References
//! - django-cors-headers documentation: CORS_ALLOW_CREDENTIALS
//! - MDN: Access-Control-Allow-Credentials
//! - CWE-942: Permissive Cross-domain Policy with Untrusted Domains

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG008",
        title: "CORS allows any origin with credentials",
        severity: Severity::High,
        cwe: Some(942),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

/// Origin regexes that match any origin.
fn matches_anything(pattern: &str) -> bool {
    let p = pattern.trim_start_matches('^').trim_end_matches('$');
    matches!(
        p,
        ".*" | ".+"
            | "https?://.*"
            | "https?://.+"
            | "https://.*"
            | "http://.*"
            | "(https?://)?.*"
            | r"https?://\S+"
            | r".*\..*"
    )
}

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.is_true("CORS_ALLOW_CREDENTIALS")? {
        return Ok(Vec::new());
    }
    let all = any_of([
        cx.is_true("CORS_ALLOW_ALL_ORIGINS"),
        cx.is_true("CORS_ORIGIN_ALLOW_ALL"),
    ]);
    let regex_any = ["CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"]
        .iter()
        .find_map(|name| {
            let s = cx.get(name);
            let items = s.value.iter_elements().ok()?;
            items
                .iter()
                .any(|v| matches!(v, Value::Str(p) if matches_anything(p)))
                .then_some(*name)
        });
    let anchor: &'static str = if all? {
        if cx.settings.get("CORS_ALLOW_ALL_ORIGINS").origin.is_some() {
            "CORS_ALLOW_ALL_ORIGINS"
        } else {
            "CORS_ORIGIN_ALLOW_ALL"
        }
    } else if let Some(name) = regex_any {
        if name == "CORS_ALLOWED_ORIGIN_REGEXES" {
            "CORS_ALLOWED_ORIGIN_REGEXES"
        } else {
            "CORS_ORIGIN_REGEX_WHITELIST"
        }
    } else {
        return Ok(Vec::new());
    };
    Ok(vec![Hit::new(
        anchor,
        "Every origin may make credentialed cross-origin requests (CORS_ALLOW_CREDENTIALS is True), so any website can read users' data through their cookies.".into(),
        "List the trusted origins in CORS_ALLOWED_ORIGINS, or set CORS_ALLOW_CREDENTIALS = False for a public API.",
    )])
}
