//! # security.W016: CSRF cookie is not Secure
//!
//! ## What it does
//! Fires when `"django.middleware.csrf.CsrfViewMiddleware"` is in `MIDDLEWARE`, `CSRF_USE_SESSIONS`
//! is falsy (so the token lives in its own cookie), and `CSRF_COOKIE_SECURE` is not on. "On" means
//! `is True` from Django 4.1 (so `1` or `"True"` fire) and plain truthiness in 3.0 to 4.0, for the
//! Django version the project pins (or `--django-version`). The default is `False`, so this fires
//! whenever the middleware is on and the setting is not written. It exists in every Django release
//! djguard models (3.0 and later). Deploy-only, as in Django (`check --deploy`): djguard skips it
//! for settings modules named like development or test ones (`dev`, `local`, `test`, `ci`) unless
//! given with `--settings`.
//!
//! ## Why is this bad?
//! Without `Secure`, the CSRF cookie also travels with plain-HTTP requests. A network attacker who
//! reads it learns the secret that the victim's forms must echo back, and can forge cross-site
//! requests that pass Django's token check. Marking the cookie `Secure` also stops modern browsers
//! from letting plain-HTTP responses overwrite it, which blocks planting a token the attacker
//! already knows.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
//! CSRF_COOKIE_SECURE = False
//! ```
//!
//! ## Fix
//! Write `CSRF_COOKIE_SECURE = True` (the boolean) in the production settings. Alternatively
//! `CSRF_USE_SESSIONS = True` keeps the token in the session, and then the session cookie's flags
//! apply instead (see W010 to W012). `CSRF_COOKIE_HTTPONLY` is a different setting and does not
//! affect this check. There is no good reason to silence it for a site served over HTTPS.
//!
//! ## References
//! - Django documentation: Settings → CSRF_COOKIE_SECURE, CSRF_USE_SESSIONS
//! - Django documentation: Cross Site Request Forgery protection
//! - Django deployment checklist
//! - OWASP Cross-Site Request Forgery Prevention Cheat Sheet
//! - CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W016",
        title: "CSRF cookie is not Secure",
        severity: Severity::Medium,
        cwe: Some(614),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let pass = any_of([
        cx.truthy("CSRF_USE_SESSIONS"),
        not(cx.middleware(CSRF_MIDDLEWARE)),
        cx.cookie_flag_on("CSRF_COOKIE_SECURE"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "CSRF_COOKIE_SECURE",
            format!(
                "{}, so the CSRF cookie is also sent over plain HTTP where it can be read or overwritten.",
                cx.get("CSRF_COOKIE_SECURE").describe()
            ),
            "Set CSRF_COOKIE_SECURE = True.",
        )
    })
}
