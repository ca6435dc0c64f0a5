//! # security.W008: HTTP is not redirected to HTTPS
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE` and
//! `SECURE_SSL_REDIRECT` is not the object `True` (the default is `False`). Django tests `is True`,
//! so a string read from the environment such as `"True"` still fires. It exists in every Django
//! release djguard models (3.0 and later). Deploy-only, as in Django (`check --deploy`): djguard
//! skips it for settings modules named like development or test ones (`dev`, `local`, `test`, `ci`)
//! unless given with `--settings`.
//!
//! ## Why is this bad?
//! Requests that arrive over plain HTTP are answered over plain HTTP: login forms, cookies without
//! the `Secure` flag and page contents cross the network where anyone on the path can read or
//! change them. Django also adds the HSTS header only to HTTPS responses, so visitors who only ever
//! reach the site through `http://` links never receive the HSTS policy either.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_SSL_REDIRECT = "True"  # a string, not True
//! ```
//!
//! ## Fix
//! ```python
//! SECURE_SSL_REDIRECT = True
//! # Only behind a proxy that sets this header and strips it from client requests:
//! SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
//! ```
//! Behind a TLS-terminating proxy Django sees every request as HTTP unless
//! `SECURE_PROXY_SSL_HEADER` is set, and the redirect would loop. Paths that must stay reachable
//! over HTTP (a health check) go in `SECURE_REDIRECT_EXEMPT`. Many deployments redirect at the load
//! balancer, CDN or web server instead; then this warning is expected, and you can add
//! `"security.W008"` to `SILENCED_SYSTEM_CHECKS` or put `# djguard: ignore[security.W008]` on the
//! setting's line (on the first line of the settings module when it is not written).
//!
//! ## References
//! - Django documentation: Middleware → SSL redirect
//! - Django documentation: Settings → SECURE_SSL_REDIRECT, SECURE_PROXY_SSL_HEADER
//! - Django deployment checklist
//! - OWASP Transport Layer Security Cheat Sheet
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W008",
        title: "HTTP is not redirected to HTTPS",
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
        cx.is_true("SECURE_SSL_REDIRECT"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_SSL_REDIRECT",
            format!(
                "{}, so Django serves plain-HTTP requests instead of redirecting them to HTTPS.",
                cx.get("SECURE_SSL_REDIRECT").describe_not_true()
            ),
            "Set SECURE_SSL_REDIRECT = True, or make sure the load balancer or proxy redirects every HTTP request (then silence this check).",
        )
    })
}
