//! # DJG007: No brute-force protection on login
//!
//! ## What it does
//! Fires when `django.contrib.auth` is installed but nothing in INSTALLED_APPS, MIDDLEWARE or
//! AUTHENTICATION_BACKENDS limits failed logins: none of django-axes, django-defender, django-
//! ratelimit or django-allauth (which rate-limits logins itself), and no entry whose name says it
//! limits requests (`ratelimit`, `throttle`, `lockout`, `brute`), as a project's own limiter
//! middleware would.
//!
//! ## Why is this bad?
//! Django's login view accepts unlimited attempts. Attackers replay leaked credential lists
//! (credential stuffing) or guess weak passwords, and the admin login is the first target. A
//! lockout or rate limit turns millions of tries into a handful.
//!
//! ## Example
//! ```python
//! INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.sessions"]
//! ```
//!
//! ## Fix
//! Install a limiter, e.g. django-axes: add `"axes"` to INSTALLED_APPS,
//! `"axes.middleware.AxesMiddleware"` to MIDDLEWARE and `"axes.backends.AxesStandaloneBackend"`
//! first in AUTHENTICATION_BACKENDS. If logins are limited elsewhere (a WAF, the proxy), say so
//! with `# djguard: ignore[DJG007]` on the INSTALLED_APPS line.
//!
//! ## References
//! - OWASP Authentication Cheat Sheet: Protect Against Automated Attacks
//! - django-axes documentation
//! - CWE-307: Improper Restriction of Excessive Authentication Attempts

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG007",
        title: "No brute-force protection on login",
        severity: Severity::Medium,
        cwe: Some(307),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const APPS: &[&str] = &[
    "axes",
    "defender",
    "django_ratelimit",
    "ratelimit",
    "allauth",
    "allauth.account",
];
const MIDDLEWARE: &[&str] = &[
    "axes.middleware.AxesMiddleware",
    "defender.middleware.FailedLoginMiddleware",
];
const BACKENDS: &[&str] = &[
    "axes.backends.AxesBackend",
    "axes.backends.AxesStandaloneBackend",
    "axes.backends.AxesModelBackend",
];

/// A project's own limiter, recognised by name (`sentry.middleware.ratelimit.RatelimitMiddleware`).
fn names_a_limiter(cx: &DjangoCx, setting: &str) -> Known<bool> {
    let items = cx.get(setting).value.iter_elements()?;
    Ok(items.iter().any(|v| {
        matches!(v, Value::Str(s) if {
            let l = s.to_ascii_lowercase();
            ["ratelimit", "rate_limit", "throttl", "brute", "lockout"].iter().any(|w| l.contains(w))
        })
    }))
}

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.contains("INSTALLED_APPS", "django.contrib.auth")? {
        return Ok(Vec::new());
    }
    let protected = any_of(
        APPS.iter()
            .map(|a| cx.contains("INSTALLED_APPS", a))
            .chain(MIDDLEWARE.iter().map(|m| cx.contains("MIDDLEWARE", m)))
            .chain(
                BACKENDS
                    .iter()
                    .map(|b| cx.contains("AUTHENTICATION_BACKENDS", b)),
            )
            .chain(
                ["MIDDLEWARE", "INSTALLED_APPS", "AUTHENTICATION_BACKENDS"]
                    .map(|s| names_a_limiter(cx, s)),
            ),
    );
    crate::rules::django::fire_if(crate::rules::django::not(protected), || {
        Hit::new(
        "INSTALLED_APPS",
        "Nothing limits failed logins (no django-axes, django-defender, django-ratelimit or allauth), so passwords can be guessed without limit.".into(),
        "Add django-axes (app \"axes\", AxesMiddleware, AxesStandaloneBackend) or another login rate limit.",
    )
    })
}
