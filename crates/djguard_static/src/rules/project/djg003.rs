//! # DJG003: Unsafe production default for an environment variable
//!
//! ## What it does
//! Fires when a security setting is read from an environment variable that the deployment view does
//! not set (no `--env`/`--env-file` value), and the reader's default is the insecure choice: DEBUG
//! defaulting to true, SECRET_KEY with a literal default, ALLOWED_HOSTS defaulting to `*`,
//! SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE or CSRF_COOKIE_SECURE defaulting to off, or
//! SECURE_HSTS_SECONDS defaulting to 0, or DATABASES built from a default URL that carries a
//! password (`dj_database_url.config(default="postgres://user:pw@...")`). The message names the
//! variable.
//!
//! ## Why is this bad?
//! A default is what production gets the day someone forgets a variable, renames it, or deploys a
//! new service from an incomplete template. Fail-open defaults turn that slip into DEBUG pages with
//! settings and source code, a public signing key, or cookies sent over plain HTTP, and nothing
//! tells anyone: the site works. The safe default is the secure value, with development opting out
//! explicitly.
//!
//! ## Example
//! ```python
//! DEBUG = env.bool("DJANGO_DEBUG", default=True)
//! SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-secret")
//! ```
//!
//! ## Fix
//! Make the secure value the default and let development override it: `DEBUG =
//! env.bool("DJANGO_DEBUG", default=False)`; give SECRET_KEY no default at all
//! (`os.environ["DJANGO_SECRET_KEY"]`), so a missing variable stops the deploy instead of weakening
//! it. Run `djguard check --env-file .env.production` to see the deployment's own view.
//!
//! ## References
//! - The Twelve-Factor App: III. Config
//! - Django deployment checklist
//! - CWE-1188: Initialization of a Resource with an Insecure Default

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG003",
        title: "Unsafe production default for an environment variable",
        severity: Severity::High,
        cwe: Some(1188),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

/// A DATABASES alias with a real password (a default database URL with credentials).
fn database_password(value: &Value) -> bool {
    let Value::Dict(aliases) = value else {
        return false;
    };
    aliases.iter().any(|(_, conf)| {
        matches!(conf.dict_get(&Value::Str("PASSWORD".into())), Ok(Some(Value::Str(pw))) if !pw.is_empty() && !crate::rules::project::support::placeholder(pw))
    })
}

/// Settings whose fail-open default matters, with the test for "insecure" and what it causes.
fn insecure(name: &str, value: &Value) -> Known<Option<&'static str>> {
    Ok(match name {
        "DEBUG" if value.truthy()? => Some("debug pages with settings and source code are public"),
        "SECRET_KEY" if matches!(value, Value::Str(s) if !s.is_empty()) => {
            Some("the signing key is a value written in the repository")
        }
        "ALLOWED_HOSTS" if value.py_contains(&Value::Str("*".into()))? => {
            Some("the site answers for any Host header")
        }
        "SECURE_SSL_REDIRECT" if !value.is_true()? => {
            Some("plain-HTTP requests are served instead of redirected")
        }
        "SESSION_COOKIE_SECURE" | "CSRF_COOKIE_SECURE" if !value.is_true()? => {
            Some("the cookie is sent over plain HTTP")
        }
        "SECURE_HSTS_SECONDS" if !value.truthy()? => Some("no HSTS header is sent"),
        "DATABASES" if database_password(value) => {
            Some("the database password is a value written in the repository")
        }
        _ => None,
    })
}

fn check(cx: &DjangoCx) -> Outcome {
    let mut hits = Vec::new();
    for name in [
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "DATABASES",
    ] {
        let s = cx.settings.get(name);
        if s.env.is_empty() || s.env.iter().any(|d| d.provided) || s.origin.is_none() {
            continue;
        }
        // Only this setting's own variables qualify the finding.
        crate::settings::env::merge_deps(&mut cx.deps.borrow_mut(), &s.env);
        if let Some(effect) =
            insecure(name, &s.value).map_err(|u| Unknown::new(format!("{name}: {}", u.reason)))?
        {
            let vars: Vec<&str> = s.env.iter().map(|d| d.var.as_str()).collect();
            let mut hit = Hit::new(
                name,
                format!("{name} falls back to {}, so {effect}.", s.value.repr()),
                format!(
                    "Make the secure value the default for {name} (or give it no default, so a missing {} stops the deploy).",
                    vars.join(" / ")
                ),
            );
            hit.key = name.to_string();
            hits.push(hit);
        }
    }
    Ok(hits)
}
