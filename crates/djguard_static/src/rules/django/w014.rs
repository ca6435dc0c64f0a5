//! # security.W014: Session cookie is not HttpOnly (session middleware)
//!
//! ## What it does
//! Fires when `SESSION_COOKIE_HTTPONLY` is not on and
//! `"django.contrib.sessions.middleware.SessionMiddleware"` is in `MIDDLEWARE` but
//! `"django.contrib.sessions"` is not in `INSTALLED_APPS`. "On" means `is True` from Django 4.1 (so
//! `1` or `"True"` fire) and plain truthiness in 3.0 to 4.0, for the Django version the project
//! pins (or `--django-version`). The default is `True`, so this fires only when the setting is
//! overridden. Apps and middleware are matched as exact strings, so listing the app as
//! `"django.contrib.sessions.apps.SessionsConfig"` counts as not listed. If the app is installed
//! too, W015 is reported instead. Deploy-only, as in Django (`check --deploy`): djguard skips it
//! for settings modules named like development or test ones (`dev`, `local`, `test`, `ci`) unless
//! given with `--settings`.
//!
//! ## Why is this bad?
//! Without `HttpOnly`, scripts in the page can read the session cookie through `document.cookie`.
//! Any cross-site scripting flaw (one unescaped template variable, a compromised third-party
//! script) can then send the session ID to the attacker, who keeps the victim's login even after
//! the flaw is fixed. `HttpOnly` does not prevent XSS, but it keeps the session out of its reach.
//! This combination is typical of the cache or signed-cookies session engines, which do not need
//! the app; the middleware sets the session cookie on every response that uses the session.
//!
//! ## Example
//! ```python
//! INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
//! MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
//! SESSION_COOKIE_HTTPONLY = False
//! ```
//!
//! ## Fix
//! Delete the override (Django's default is `True`) or write `SESSION_COOKIE_HTTPONLY = True`. If
//! front-end code reads the session cookie, give it the data it needs through a view or API
//! instead. A truthy value such as `1` still sets the flag at runtime, but from 4.1 the check only
//! accepts `True`, so write the boolean. There is rarely a reason to silence this check.
//!
//! ## References
//! - Django documentation: Settings → SESSION_COOKIE_HTTPONLY
//! - Django documentation: How to use sessions
//! - Django deployment checklist
//! - MDN: Set-Cookie (HttpOnly); OWASP Session Management Cheat Sheet
//! - CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W014",
        title: "Session cookie is not HttpOnly (session middleware)",
        severity: Severity::Medium,
        cwe: Some(1004),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    session_cookie_outcome(cx, "SESSION_COOKIE_HTTPONLY", false, true, || {
        Hit::new(
            "SESSION_COOKIE_HTTPONLY",
            format!(
                "{} while SessionMiddleware is enabled, so the session cookie is readable by JavaScript, so any XSS can steal the session.",
                cx.get("SESSION_COOKIE_HTTPONLY").describe()
            ),
            "Set SESSION_COOKIE_HTTPONLY = True (the boolean; 1 or \"True\" do not count since Django 4.1).",
        )
    })
}
