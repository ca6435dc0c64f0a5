//! # security.W021: HSTS preload is not enabled
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE`,
//! `SECURE_HSTS_SECONDS` is truthy, and `SECURE_HSTS_PRELOAD` is not the object `True` (the default
//! is `False`; `1` fires because Django tests `is True`). When HSTS is off, W004 fires instead. It
//! exists in every Django release djguard models (3.0 and later). Deploy-only, as in Django
//! (`check --deploy`): djguard skips it for settings modules named like development or test ones
//! (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! HSTS only protects a browser that has already received the header, so the very first visit, or
//! the first one after the policy expired, can still be intercepted and downgraded to HTTP.
//! Browsers ship a built-in list of domains that are HTTPS-only from the first request; the
//! `preload` directive is the site's consent to be on that list. This is a hardening step rather
//! than a hole, hence the low severity.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_HSTS_SECONDS = 31536000
//! SECURE_HSTS_INCLUDE_SUBDOMAINS = True
//! ```
//!
//! ## Fix
//! ```python
//! SECURE_HSTS_SECONDS = 31536000  # the preload list requires at least one year
//! SECURE_HSTS_INCLUDE_SUBDOMAINS = True
//! SECURE_HSTS_PRELOAD = True
//! ```
//! The setting only adds the directive; the domain must then be submitted at hstspreload.org.
//! Getting off the list takes months, because it ships with browser releases, so many sites choose
//! not to preload. That is a legitimate decision: add `"security.W021"` to `SILENCED_SYSTEM_CHECKS`
//! or put `# djguard: ignore[security.W021]` on the line that sets it (the first line of the
//! settings module if it is not written).
//!
//! ## References
//! - Django documentation: Settings → SECURE_HSTS_PRELOAD
//! - Django documentation: Middleware → HTTP Strict Transport Security
//! - HSTS Preload List Submission (hstspreload.org)
//! - MDN: Strict-Transport-Security (Preloading Strict Transport Security)
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W021",
        title: "HSTS preload is not enabled",
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
        cx.is_true("SECURE_HSTS_PRELOAD"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_HSTS_PRELOAD",
            format!(
                "{}, so the site cannot join the browsers' HSTS preload list and a first visit can still be downgraded.",
                cx.get("SECURE_HSTS_PRELOAD").describe_not_true()
            ),
            "Set SECURE_HSTS_PRELOAD = True (with SECURE_HSTS_SECONDS >= 31536000 and INCLUDE_SUBDOMAINS), then submit the domain to the preload list.",
        )
    })
}
