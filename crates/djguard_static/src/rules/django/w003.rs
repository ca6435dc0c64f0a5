//! # security.W003: CsrfViewMiddleware is not enabled
//!
//! ## What it does
//! Fires when the exact string `"django.middleware.csrf.CsrfViewMiddleware"` is not an entry of
//! `MIDDLEWARE` (list membership: order is irrelevant; for Django a subclass does not count). It exists in
//! every Django release djguard models (3.0 and later). Deploy-only, as in Django
//! (`check --deploy`): djguard skips it for settings modules named like development or test ones
//! (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//! When a project middleware listed in `MIDDLEWARE` subclasses Django's class,
//! the finding stays (Django's check reports it: it looks for the exact dotted name) but is
//! medium confidence and names the replacement: djguard cannot tell whether it keeps all of
//! Django's protection.
//!
//! ## Why is this bad?
//! The middleware rejects state-changing requests (POST, PUT, PATCH, DELETE) that do not carry a
//! valid CSRF token. Without it, a page on another site can make the victim's browser submit a form
//! to your application with the victim's cookies attached, and the request runs with the victim's
//! rights: change the e-mail address, the password, make a purchase. Django's default
//! `SameSite=Lax` cookies reduce the risk but do not remove it: a sibling subdomain counts as the
//! same site, and older browsers ignore the attribute. Views decorated with `@csrf_protect` stay
//! protected; every view that lacks the decorator does not.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = [
//!     "django.middleware.security.SecurityMiddleware",
//!     "django.contrib.sessions.middleware.SessionMiddleware",
//!     "django.contrib.auth.middleware.AuthenticationMiddleware",
//! ]
//! ```
//!
//! ## Fix
//! Add `"django.middleware.csrf.CsrfViewMiddleware"` to `MIDDLEWARE`, after `SessionMiddleware`,
//! and exempt only the views that really need it with `@csrf_exempt` (for example a webhook that
//! verifies a signature instead). A service that only serves an API authenticated by a header
//! token, with no cookies or sessions, can legitimately run without it; then add `"security.W003"`
//! to `SILENCED_SYSTEM_CHECKS` or put `# djguard: ignore[security.W003]` on the `MIDDLEWARE` line.
//!
//! ## References
//! - Django documentation: Cross Site Request Forgery protection
//! - Django documentation: How to use Django's CSRF protection
//! - OWASP Cross-Site Request Forgery Prevention Cheat Sheet
//! - CWE-352: Cross-Site Request Forgery (CSRF)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W003",
        title: "CsrfViewMiddleware is not enabled",
        severity: Severity::High,
        cwe: Some(352),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    if let Some(local) = cx.project_middleware_doing(CSRF_MIDDLEWARE, None)
        && !cx.middleware(CSRF_MIDDLEWARE)?
    {
        return Ok(vec![super::project_stand_in(CSRF_MIDDLEWARE, &local, None)]);
    }
    fire_if(not(cx.middleware(CSRF_MIDDLEWARE)), || {
        Hit::new(
            "MIDDLEWARE",
            format!(
                "MIDDLEWARE does not contain '{CSRF_MIDDLEWARE}', so POST requests are not protected against cross-site request forgery."
            ),
            format!(
                "Add '{CSRF_MIDDLEWARE}' to MIDDLEWARE (after SessionMiddleware), and use @csrf_exempt only on views that truly need it."
            ),
        )
    })
}
