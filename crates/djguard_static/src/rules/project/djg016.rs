//! # DJG016: Credentials hard-coded in settings
//!
//! ## What it does
//! Fires when a password or secret other than SECRET_KEY is a string literal in the settings:
//! `DATABASES[...]["PASSWORD"]`, a password inside a `CACHES` LOCATION or a database URL,
//! EMAIL_HOST_PASSWORD, and settings whose name says PASSWORD, SECRET, TOKEN, API_KEY or
//! PRIVATE_KEY (for example AWS_SECRET_ACCESS_KEY), and any setting whose value has the shape of
//! a known token: AWS access key ids, GitHub, Slack, live Stripe, Google API and SendGrid keys,
//! PEM private keys. Values read from the environment do not count; empty strings, obvious
//! placeholders and dotted code paths (`"app.TokenModel"`) do not either, nor settings whose name
//! says they hold where a secret is or what it is called rather than the secret itself (names
//! ending `_FILE`, `_FILENAME`, `_PATH`, `_DIR`, `_NAME`, …: `SECRET_KEY_FILENAME = "SECRET_KEY"`).
//!
//! ## Why is this bad?
//! Credentials in the repository travel with every clone, fork, backup and CI log, and outlive the
//! person who wrote them. Database and mail passwords in settings are a common first step from a
//! leaked repository to a breached service.
//!
//! ## Example
//! ```python
//! DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "s3cr3t-pw"}}
//! EMAIL_HOST_PASSWORD = "mailgun-key-123456"
//! ```
//!
//! ## Fix
//! Read each credential from the environment or a secrets manager (`"PASSWORD":
//! os.environ["DB_PASSWORD"]`, `env.db()` for a whole URL), rotate the ones that were committed,
//! and keep placeholders out of production settings.
//!
//! ## References
//! - OWASP Secrets Management Cheat Sheet
//! - Django documentation: Settings → DATABASES, EMAIL_HOST_PASSWORD
//! - CWE-798: Use of Hard-coded Credentials

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG016",
        title: "Credentials hard-coded in settings",
        severity: Severity::High,
        cwe: Some(798),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const NAME_HINTS: &[&str] = &[
    "PASSWORD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
];
const NOT_SECRETS: &[&str] = &[
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "PASSWORD_HASHERS",
    "PASSWORD_RESET_TIMEOUT",
    "PASSWORD_RESET_TIMEOUT_DAYS",
    "AUTH_PASSWORD_VALIDATORS",
    "CSRF_COOKIE_NAME",
];

/// A string that could be a credential: long enough, not a placeholder, and not code — a
/// dotted Python path such as `"app.OAuthAccessToken"` names a class, not a secret.
fn literal_secret(v: &Value) -> bool {
    let Value::Str(s) = v else { return false };
    let dotted_path = s.contains('.') && s.split('.').all(crate::project::is_identifier);
    s.chars().count() >= 6
        && !s.contains(' ')
        && !dotted_path
        && !crate::rules::project::support::placeholder(s)
}

/// Settings whose name mentions a secret but whose value configures code, not a credential.
fn names_code(name: &str) -> bool {
    [
        "_MODEL",
        "_CLASS",
        "_BACKEND",
        "_FILE",
        "_FILENAME",
        "_FILES",
        "_FILEPATH",
        "_PATH",
        "_PATHS",
        "_DIR",
        "_DIRS",
        "_NAME",
        "_HEADER",
        "_FIELD",
        "_LENGTH",
        "_AGE",
        "_SECONDS",
        "_TIMEOUT",
        "_EXPIRE_SECONDS",
        "_URL_NAME",
        "_GENERATOR",
        "_VALIDATOR",
        "_SERIALIZER",
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix))
}

/// `scheme://user:password@host`: the password part, if written.
fn url_password(s: &str) -> bool {
    let Some((_, rest)) = s.split_once("://") else {
        return false;
    };
    let auth = rest.split('/').next().unwrap_or("");
    match auth.rsplit_once('@') {
        Some((cred, _)) => cred.split_once(':').is_some_and(|(_, pw)| {
            !pw.is_empty() && !crate::rules::project::support::placeholder(pw)
        }),
        None => false,
    }
}

fn check(cx: &DjangoCx) -> Outcome {
    let mut hits = Vec::new();
    let mut push = |anchor: &str, what: String| {
        let mut hit = Hit::new(
            anchor,
            format!("{what} is written in the settings, so everyone with the repository has it."),
            "Read it from the environment or a secrets manager, and rotate the committed value.",
        );
        hit.key = what;
        hits.push(hit);
    };
    for (group, url_key) in [("DATABASES", None), ("CACHES", Some("LOCATION"))] {
        let s = cx.settings.get(group);
        if s.origin.is_none() || !s.env.is_empty() {
            continue;
        }
        let Value::Dict(aliases) = &s.value else {
            continue;
        };
        for (alias, conf) in aliases {
            let alias = alias.repr();
            if let Ok(Some(pw)) = conf.dict_get(&Value::Str("PASSWORD".into()))
                && literal_secret(pw)
            {
                push(group, format!("{group}[{alias}][\"PASSWORD\"]"));
            }
            if let Some(key) = url_key
                && let Ok(Some(Value::Str(loc))) = conf.dict_get(&Value::Str(key.into()))
                && url_password(loc)
            {
                push(
                    group,
                    format!("The password in {group}[{alias}][\"{key}\"]"),
                );
            }
        }
    }
    for name in cx.settings.explicit_names() {
        let s = cx.settings.get(name);
        if let (Value::Str(v), true) = (&s.value, s.env.is_empty())
            && let Some(kind) = crate::rules::project::support::token_kind(v)
        {
            push(name, format!("{name} (which looks like {kind})"));
            continue;
        }
        if NOT_SECRETS.contains(&name)
            || !NAME_HINTS.iter().any(|h| name.contains(h))
            || names_code(name)
        {
            continue;
        }
        if s.env.is_empty()
            && (literal_secret(&s.value) || matches!(&s.value, Value::Str(u) if url_password(u)))
        {
            push(name, name.to_string());
        }
    }
    Ok(hits)
}
