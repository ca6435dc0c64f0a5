//! # security.W001: SecurityMiddleware is not enabled
//!
//! ## What it does
//! Fires when the exact string `"django.middleware.security.SecurityMiddleware"` is not an entry of
//! `MIDDLEWARE`. Like Django, djguard only tests list membership: the position does not matter, and
//! a subclass, a project-local copy or an entry in the legacy `MIDDLEWARE_CLASSES` setting does not
//! count. It exists in every Django release djguard models (3.0 and later). Deploy-only, as in
//! Django (`check --deploy`): djguard skips it for settings modules named like development or test
//! ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//! When a project middleware listed in `MIDDLEWARE` subclasses Django's class,
//! the finding stays (Django's check reports it: it looks for the exact dotted name) but is
//! medium confidence and names the replacement: djguard cannot tell whether it keeps all of
//! Django's protection.
//!
//! ## Why is this bad?
//! SecurityMiddleware is what turns `SECURE_HSTS_SECONDS`, `SECURE_CONTENT_TYPE_NOSNIFF`,
//! `SECURE_REFERRER_POLICY`, `SECURE_CROSS_ORIGIN_OPENER_POLICY` (4.0+) and `SECURE_SSL_REDIRECT`
//! into response headers and redirects. Without it nothing reads those settings: the configuration
//! looks hardened in review while browsers receive none of the protections. The checks on those
//! settings (W004, W005, W006, W008, W021, W022, E023, E024) only run when the middleware is
//! listed, so they all stay quiet and this warning is the only sign.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = [
//!     "django.contrib.sessions.middleware.SessionMiddleware",
//!     "django.middleware.common.CommonMiddleware",
//! ]
//! SECURE_HSTS_SECONDS = 31536000  # does nothing without the middleware
//! ```
//!
//! ## Fix
//! Add the middleware as the first entry, so its redirect and headers apply to every response:
//! ```python
//! MIDDLEWARE = [
//!     "django.middleware.security.SecurityMiddleware",
//!     # ... the rest, unchanged
//! ]
//! ```
//! If you deliberately use a subclass, or a proxy sends all of these headers, the warning is
//! expected: add `"security.W001"` to `SILENCED_SYSTEM_CHECKS` (exact, case-sensitive) or put
//! `# djguard: ignore[security.W001]` on the `MIDDLEWARE` line. Remember that the header checks
//! listed above then stay silent as well.
//!
//! ## References
//! - Django documentation: Middleware → Security middleware
//! - Django documentation: System check framework → Security
//! - Django deployment checklist
//! - OWASP HTTP Security Response Headers Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W001",
        title: "SecurityMiddleware is not enabled",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    if let Some(local) = cx.project_middleware_doing(SECURITY_MIDDLEWARE, None)
        && !cx.security_middleware()?
    {
        return Ok(vec![super::project_stand_in(
            SECURITY_MIDDLEWARE,
            &local,
            None,
        )]);
    }
    fire_if(not(cx.security_middleware()), || {
        Hit::new(
            "MIDDLEWARE",
            format!(
                "MIDDLEWARE does not contain '{SECURITY_MIDDLEWARE}', so the HSTS, nosniff, referrer-policy, COOP and SSL-redirect settings have no effect."
            ),
            format!(
                "Add '{SECURITY_MIDDLEWARE}' near the top of MIDDLEWARE (the exact dotted path; a subclass does not count for Django's check)."
            ),
        )
    })
}
