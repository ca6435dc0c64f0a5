//! # security.W005: HSTS does not cover subdomains
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE`,
//! `SECURE_HSTS_SECONDS` is truthy, and `SECURE_HSTS_INCLUDE_SUBDOMAINS` is not the object `True`
//! (the default is `False`). Django tests `is True`, so `1` or `"True"` still fire, even though the
//! middleware itself would add `includeSubDomains` for any truthy value. When HSTS is off, W004
//! fires instead. It exists in every Django release djguard models (3.0 and later). Deploy-only, as
//! in Django (`check --deploy`): djguard skips it for settings modules named like development or
//! test ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! Without `includeSubDomains` the policy protects only the exact host that sent it. A network
//! attacker can still lure the browser to `http://anything.example.com` (the name need not exist;
//! they forge the DNS answer) and from there set cookies for the whole `.example.com` domain, for
//! example a session or CSRF cookie of their choosing ("cookie tossing"). Real subdomains served
//! over HTTP also stay open to SSL stripping.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_HSTS_SECONDS = 31536000
//! SECURE_HSTS_INCLUDE_SUBDOMAINS = 1  # truthy, but not True
//! ```
//!
//! ## Fix
//! `SECURE_HSTS_INCLUDE_SUBDOMAINS = True`, but first make sure every subdomain (mail, status
//! pages, old internal hosts) works over HTTPS: browsers will refuse plain HTTP to all of them for
//! the full `max-age`. If some subdomain cannot move to HTTPS yet, add `"security.W005"` to
//! `SILENCED_SYSTEM_CHECKS` or put `# djguard: ignore[security.W005]` on the line that sets it (the
//! first line of the settings module if it is not written), and plan to revisit.
//!
//! ## References
//! - Django documentation: Settings → SECURE_HSTS_INCLUDE_SUBDOMAINS
//! - Django documentation: Middleware → HTTP Strict Transport Security
//! - MDN: Strict-Transport-Security
//! - OWASP HTTP Strict Transport Security Cheat Sheet
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W005",
        title: "HSTS does not cover subdomains",
        severity: Severity::Low,
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
        not(cx.truthy("SECURE_HSTS_SECONDS")),
        cx.is_true("SECURE_HSTS_INCLUDE_SUBDOMAINS"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            format!(
                "{}, so the HSTS policy does not protect subdomains, which an attacker can use to plant cookies over plain HTTP.",
                cx.get("SECURE_HSTS_INCLUDE_SUBDOMAINS").describe_not_true()
            ),
            "Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True once every subdomain is served over HTTPS.",
        )
    })
}
