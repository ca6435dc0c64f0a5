//! # security.W012: Session cookie is not Secure
//!
//! ## What it does
//! Fires when `SESSION_COOKIE_SECURE` is not on, `"django.contrib.sessions"` is in
//! `INSTALLED_APPS` and `"django.contrib.sessions.middleware.SessionMiddleware"` is in
//! `MIDDLEWARE`. "On" means `is True` from Django 4.1 (so `1` or `"True"` fire) and plain
//! truthiness in 3.0 to 4.0, for the Django version the project pins (or `--django-version`). The
//! default is `False`, so this fires whenever the setting is not written. Apps and middleware are
//! matched as exact strings, so listing the app as `"django.contrib.sessions.apps.SessionsConfig"`
//! counts as not listed. Django reports this ID instead of W010 (app only) and W011 (middleware
//! only). Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules named
//! like development or test ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! A cookie without the `Secure` attribute is also sent with plain-HTTP requests to the domain. An
//! attacker on the network can provoke one, for example by injecting an `http://` image into any
//! page the victim loads, read the session ID from it and act as the victim: session hijacking.
//! HSTS narrows this window, but only `Secure` closes it. This is the usual setup, in which the
//! middleware sets the session cookie whenever a view uses the session, including on every login.
//!
//! ## Example
//! ```python
//! INSTALLED_APPS = ["django.contrib.sessions"]
//! MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
//! SESSION_COOKIE_SECURE = 1  # Django 4.1+ wants the boolean True
//! ```
//!
//! ## Fix
//! Write `SESSION_COOKIE_SECURE = True` in the production settings; the site must then be served
//! over HTTPS. A truthy value such as `1` does make Django set the flag at runtime, but from 4.1
//! the check only accepts `True`, so write the boolean. There is no good reason to silence this
//! check for production; if sessions are not used at all, removing the app and the middleware also
//! clears it.
//!
//! ## References
//! - Django documentation: Settings → SESSION_COOKIE_SECURE
//! - Django documentation: How to use sessions
//! - Django deployment checklist
//! - MDN: Set-Cookie (Secure); OWASP Session Management Cheat Sheet
//! - CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W012",
        title: "Session cookie is not Secure",
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
    session_cookie_outcome(cx, "SESSION_COOKIE_SECURE", true, true, || {
        Hit::new(
            "SESSION_COOKIE_SECURE",
            format!(
                "{} while sessions are in use, so the session cookie is sent over plain HTTP, where anyone on the network can steal the session.",
                cx.get("SESSION_COOKIE_SECURE").describe()
            ),
            "Set SESSION_COOKIE_SECURE = True (the boolean; 1 or \"True\" do not count since Django 4.1).",
        )
    })
}
