//! # security.W004: HSTS is not enabled
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE` and
//! `SECURE_HSTS_SECONDS` is falsy: `0` (the default), `None`, `0.0` or `""`. Django tests only
//! truthiness, so the string `"0"` counts as set and passes, although the middleware then sends
//! `max-age=0`, which tells browsers to forget HSTS. Without SecurityMiddleware, W001 fires
//! instead. It exists in every Django release djguard models (3.0 and later). Deploy-only, as in
//! Django (`check --deploy`): djguard skips it for settings modules named like development or test
//! ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! Without a `Strict-Transport-Security` header, browsers will talk plain HTTP to the site whenever
//! a user types the bare domain or follows an `http://` link. An attacker on the same network
//! (public Wi-Fi, a compromised router) can answer that first request, keep the victim on HTTP
//! ("SSL stripping") and read or alter everything, including passwords and session cookies. HSTS
//! makes the browser switch every request to HTTPS by itself for `max-age` seconds.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_HSTS_SECONDS = 0
//! ```
//!
//! ## Fix
//! Once every page works over HTTPS, set a lifetime and raise it in steps; browsers remember the
//! policy for the whole period and a mistake cannot be called back:
//! ```python
//! SECURE_HSTS_SECONDS = 3600  # first rollout; later 31536000 (one year)
//! ```
//! Use an integer (wrap environment variables in `int()`). Django adds the header only to responses
//! to HTTPS requests, so behind a TLS-terminating proxy `SECURE_PROXY_SSL_HEADER` must be set
//! correctly. If the proxy or CDN already sends HSTS, add `"security.W004"` to
//! `SILENCED_SYSTEM_CHECKS` or put `# djguard: ignore[security.W004]` on the line that sets it (on
//! the first line of the settings module when it is left at the default).
//!
//! ## References
//! - Django documentation: Middleware → HTTP Strict Transport Security
//! - Django documentation: Settings → SECURE_HSTS_SECONDS, SECURE_PROXY_SSL_HEADER
//! - Django deployment checklist
//! - MDN: Strict-Transport-Security
//! - OWASP HTTP Strict Transport Security Cheat Sheet
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W004",
        title: "HSTS is not enabled",
        severity: Severity::Medium,
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
        cx.truthy("SECURE_HSTS_SECONDS"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_HSTS_SECONDS",
            format!(
                "{}, so browsers are never told to insist on HTTPS for this site (no Strict-Transport-Security header).",
                cx.get("SECURE_HSTS_SECONDS").describe()
            ),
            "Set SECURE_HSTS_SECONDS = 31536000 once the whole site is served over HTTPS (start with 3600 while testing: browsers remember the policy).",
        )
    })
}
