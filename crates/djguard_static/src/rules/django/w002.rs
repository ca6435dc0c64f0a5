//! # security.W002: XFrameOptionsMiddleware is not enabled
//!
//! ## What it does
//! Fires when the exact string `"django.middleware.clickjacking.XFrameOptionsMiddleware"` is not an
//! entry of `MIDDLEWARE` (list membership: order is irrelevant; for Django a subclass or a project-local
//! copy does not count). It exists in every Django release djguard models (3.0 and later).
//! Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules named like
//! development or test ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//! When a project middleware listed in `MIDDLEWARE` subclasses Django's class or sets the
//! `X-Frame-Options` header itself,
//! the finding stays (Django's check reports it: it looks for the exact dotted name) but is
//! medium confidence and names the replacement: djguard cannot tell whether it keeps all of
//! Django's protection.
//!
//! ## Why is this bad?
//! Without this middleware Django sends no `X-Frame-Options` header, so any other site can load
//! your pages in an invisible `<iframe>` and place its own decoy content on top. A logged-in victim
//! who clicks the decoy is really clicking your page: "delete account", "confirm payment", "grant
//! access" (clickjacking). The attack needs no bug in your code, only a page that performs an
//! action on a click.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = [
//!     "django.middleware.security.SecurityMiddleware",
//!     "django.middleware.csrf.CsrfViewMiddleware",
//! ]
//! ```
//!
//! ## Fix
//! Add `"django.middleware.clickjacking.XFrameOptionsMiddleware"` to `MIDDLEWARE` and keep
//! `X_FRAME_OPTIONS = "DENY"` (Django's default since 3.0). Views that must be framed can opt out
//! one by one with the `@xframe_options_sameorigin` or `@xframe_options_exempt` decorators from
//! `django.views.decorators.clickjacking`.
//! If framing is already blocked elsewhere, for example by a header your web server or CDN adds, or
//! by a `frame-ancestors` directive in your Content-Security-Policy, silence the check with
//! `"security.W002"` in `SILENCED_SYSTEM_CHECKS` or `# djguard: ignore[security.W002]` on the
//! `MIDDLEWARE` line.
//!
//! ## References
//! - Django documentation: Clickjacking Protection
//! - Django documentation: Settings → X_FRAME_OPTIONS
//! - MDN: X-Frame-Options; MDN: CSP frame-ancestors
//! - OWASP Clickjacking Defense Cheat Sheet
//! - CWE-1021: Improper Restriction of Rendered UI Layers or Frames

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W002",
        title: "XFrameOptionsMiddleware is not enabled",
        severity: Severity::Medium,
        cwe: Some(1021),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    if let Some(local) = cx.project_middleware_doing(XFRAME_MIDDLEWARE, Some("X-Frame-Options"))
        && !cx.middleware(XFRAME_MIDDLEWARE)?
    {
        return Ok(vec![super::project_stand_in(
            XFRAME_MIDDLEWARE,
            &local,
            Some("X-Frame-Options"),
        )]);
    }
    fire_if(not(cx.middleware(XFRAME_MIDDLEWARE)), || {
        Hit::new(
            "MIDDLEWARE",
            format!(
                "MIDDLEWARE does not contain '{XFRAME_MIDDLEWARE}', so pages are sent without an X-Frame-Options header and can be framed by other sites (clickjacking)."
            ),
            format!("Add '{XFRAME_MIDDLEWARE}' to MIDDLEWARE."),
        )
    })
}
