//! # DJG007: No brute-force protection on login
//!
//! ## What it does
//! Fires when `django.contrib.auth` is installed but nothing in INSTALLED_APPS, MIDDLEWARE or
//! AUTHENTICATION_BACKENDS limits failed logins: none of django-axes, django-defender, django-
//! ratelimit or django-allauth (which rate-limits logins itself), and no entry whose name says it
//! limits requests (`ratelimit`, `throttle`, `lockout`, `brute`), as a project's own limiter
//! middleware would. Nor does it fire when the project's own login code limits attempts: a call
//! or decorator named like a limiter (`is_ratelimited(request, ...)`, `@ratelimit(...)`,
//! `@axes_dispatch`, `throttle`) in a module about logins (its path says auth, login or account,
//! or it authenticates users) of the same import root as the settings; test and example code
//! does not count.
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

/// Words of a function or decorator name that limits request or login rates.
fn limiter_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    LIMITER_WORDS.iter().any(|w| l.contains(w))
}

/// The words [`limiter_name`] looks for (also a cheap pre-filter on a module's text).
const LIMITER_WORDS: &[&str] = &[
    "ratelimit",
    "rate_limit",
    "throttl",
    "lockout",
    "brute",
    "axes",
];

/// Whether the project's own authentication code limits logins: a call or decorator named like
/// a limiter (`is_ratelimited(...)`, `@ratelimit(...)`, `@axes_dispatch`) in a module about
/// logins (its path says auth/login/account, or it authenticates users).
fn project_limits_logins(project: &crate::project::Project, settings_file: usize) -> bool {
    use crate::python::ast::visitor::{self, Visitor};
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, e: &'a crate::python::ast::Expr) {
            use crate::python::ast::Expr;
            let callee = match e {
                Expr::Call(c) => Some(&*c.func),
                _ => None,
            };
            if let Some(Expr::Name(n)) = callee
                && limiter_name(n.id.as_str())
            {
                self.0 = true;
            }
            if let Some(Expr::Attribute(a)) = callee
                && limiter_name(a.attr.id.as_str())
            {
                self.0 = true;
            }
            visitor::walk_expr(self, e);
        }
        fn visit_decorator(&mut self, d: &'a crate::python::ast::Decorator) {
            use crate::python::ast::Expr;
            match &d.expression {
                Expr::Name(n) if limiter_name(n.id.as_str()) => self.0 = true,
                Expr::Attribute(a) if limiter_name(a.attr.id.as_str()) => self.0 = true,
                _ => {}
            }
            visitor::walk_decorator(self, d);
        }
    }
    let root = project.import_root_of(settings_file);
    project.python.iter().enumerate().any(|(i, f)| {
        let Some(parsed) = &f.parsed else {
            return false;
        };
        // Code of this project: modules named from the same import root as its settings.
        if project.import_root_of(i) != root {
            return false;
        }
        if crate::settings::discover::non_deployment_path(&f.rel).is_some() {
            return false;
        }
        let rel = f.rel.to_ascii_lowercase();
        let about_logins = ["auth", "login", "account"].iter().any(|w| rel.contains(w))
            || parsed.text.contains("authenticate(")
            || parsed.text.contains("AuthenticationForm")
            || parsed.text.contains("LoginView");
        if !about_logins || !limiter_name(&parsed.text) {
            return false;
        }
        let mut finder = Finder(false);
        finder.visit_body(&parsed.module.body);
        finder.0
    })
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
    if protected == Ok(false) && project_limits_logins(cx.project, cx.settings.file) {
        return Ok(Vec::new());
    }
    crate::rules::django::fire_if(crate::rules::django::not(protected), || {
        Hit::new(
        "INSTALLED_APPS",
        "Nothing limits failed logins (no django-axes, django-defender, django-ratelimit or allauth), so passwords can be guessed without limit.".into(),
        "Add django-axes (app \"axes\", AxesMiddleware, AxesStandaloneBackend) or another login rate limit.",
    )
    })
}
