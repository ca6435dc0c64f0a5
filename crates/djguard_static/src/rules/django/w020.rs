//! # security.W020: ALLOWED_HOSTS is empty
//!
//! ## What it does
//! Fires when `ALLOWED_HOSTS` is empty (falsy); the default is `[]`. Django tests emptiness only,
//! so `["*"]` and `[""]` pass, and djguard does not flag them under this ID either. A value that is
//! not a list or tuple, such as a comma-separated string, stops Django from loading and is reported
//! as DJG001 instead. It exists in every Django release djguard models (3.0 and later).
//! Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules named like
//! development or test ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! With `DEBUG` off, Django answers every request with "400 Bad Request" because no `Host` header
//! can match, so the deployment is down. The emergency fix that usually follows,
//! `ALLOWED_HOSTS = ["*"]`, turns Host validation off altogether. An attacker can then send a
//! forged `Host` header and have it copied into absolute URLs that Django builds, such as the link
//! in a password-reset e-mail that now points at the attacker's server, or into pages kept by a
//! shared cache.
//!
//! ## Example
//! ```python
//! DEBUG = False
//! ALLOWED_HOSTS = []
//! ```
//!
//! ## Fix
//! List the host names the site is served under; a leading dot also matches subdomains:
//! ```python
//! ALLOWED_HOSTS = ["example.com", "www.example.com"]
//! # or: ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
//! ```
//! Avoid `"*"`; if a load balancer health check uses an IP address, add that address rather than a
//! wildcard. There is no good reason to silence this check for production settings.
//!
//! ## References
//! - Django documentation: Settings → ALLOWED_HOSTS
//! - Django documentation: Security in Django → Host header validation
//! - Django deployment checklist
//! - OWASP Web Security Testing Guide: Testing for Host Header Injection

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W020",
        title: "ALLOWED_HOSTS is empty",
        severity: Severity::Medium,
        cwe: None,
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    fire_if(not(cx.truthy("ALLOWED_HOSTS")), || {
        Hit::new(
            "ALLOWED_HOSTS",
            format!(
                "{}, so with DEBUG off every request is rejected with 400 (and teams \"fix\" it with '*').",
                cx.get("ALLOWED_HOSTS").describe()
            ),
            "Set ALLOWED_HOSTS to the site's host names, e.g. ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"].",
        )
    })
}
