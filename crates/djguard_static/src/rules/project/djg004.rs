//! # DJG004: ALLOWED_HOSTS accepts any host
//!
//! ## What it does
//! Fires when ALLOWED_HOSTS contains `"*"`, a bare `"."`, or a dot followed by a single label
//! (`".com"`), any of which lets requests with an arbitrary Host header through, unless a
//! project middleware listed in MIDDLEWARE validates the host itself (its class raises
//! `DisallowedHost`, as multi-domain sites checking their own domain table do).
//!
//! ## Why is this bad?
//! Django builds absolute URLs (password-reset e-mails, redirects, `request.build_absolute_uri`)
//! from the Host header. Accepting any host lets an attacker poison those links and caches with a
//! domain of their choosing, and hides misrouted traffic. ALLOWED_HOSTS exists to stop exactly
//! that.
//!
//! ## Example
//! ```python
//! ALLOWED_HOSTS = ["*"]
//! ```
//!
//! ## Fix
//! List the real host names: `ALLOWED_HOSTS = ["example.com", "www.example.com"]`, or
//! `[".example.com"]` for the domain and all its subdomains. Behind a load balancer that health-
//! checks by IP, add that address rather than `*`.
//!
//! ## References
//! - Django documentation: Settings → ALLOWED_HOSTS
//! - Django documentation: Host header validation
//! - CWE-644: Improper Neutralization of HTTP Headers for Scripting Syntax

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG004",
        title: "ALLOWED_HOSTS accepts any host",
        severity: Severity::Medium,
        cwe: Some(644),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn wildcard(host: &str) -> bool {
    host == "*"
        || host == "."
        || (host.starts_with('.') && host.len() > 1 && !host[1..].contains('.'))
}

fn check(cx: &DjangoCx) -> Outcome {
    let hosts = cx.get("ALLOWED_HOSTS");
    let Ok(items) = hosts.value.iter_elements() else {
        return match hosts.value.first_unknown() {
            Some(u) => Err(Unknown::new(format!("ALLOWED_HOSTS: {}", u.reason))),
            None => Ok(Vec::new()),
        };
    };
    let bad: Vec<String> = items
        .iter()
        .filter_map(|v| match v {
            Value::Str(s) if wildcard(s) => Some(format!("{s:?}")),
            _ => None,
        })
        .collect();
    // A project middleware that refuses unknown hosts itself (a multi-domain site checking
    // the Host against its own domain table) does what ALLOWED_HOSTS would.
    if bad.is_empty() || cx.project_middleware_raising("DisallowedHost").is_some() {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "ALLOWED_HOSTS",
        format!(
            "ALLOWED_HOSTS contains {}, so Django accepts any Host header and builds links from it.",
            bad.join(", ")
        ),
        "List the site's real host names, e.g. ALLOWED_HOSTS = [\"example.com\", \".example.com\"].",
    )])
}
