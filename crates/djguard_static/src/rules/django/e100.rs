//! # security.E100: Invalid DEFAULT_HASHING_ALGORITHM
//!
//! ## What it does
//! Fires when `DEFAULT_HASHING_ALGORITHM` is not equal to `"sha1"` or `"sha256"` (exact,
//! case-sensitive); the default is `"sha256"`. The setting and this check exist only in Django 3.1
//! and 3.2: djguard runs the rule only when the project pins one of those releases (or
//! `--django-version` names one). It is not deploy-only: Django runs it on every `manage.py check`.
//!
//! ## Why is this bad?
//! The setting was a temporary switch for the upgrade to 3.1, which moved signatures,
//! password-reset tokens and session hashes from SHA-1 to SHA-256: `"sha1"` let old and new servers
//! accept each other's signed data during a rolling deploy. Any other value names no algorithm
//! Django supports here. Because E100 is an Error on the ordinary check, `manage.py check` fails
//! and management commands that run the system checks, such as `runserver` and `migrate`, refuse to
//! continue. Note that `"sha1"` passes the check, yet keeps the project on the weaker SHA-1
//! signatures.
//!
//! ## Example
//! ```python
//! DEFAULT_HASHING_ALGORITHM = "SHA256"  # case matters
//! ```
//!
//! ## Fix
//! Once every server runs Django 3.1 or later, delete the setting (the default is `"sha256"`); the
//! setting is removed in Django 4.0, so it must go before that upgrade anyway. During a rolling
//! upgrade from 3.0, keep `"sha1"` only for as long as old servers are still running.
//!
//! ## References
//! - Django 3.1 release notes: DEFAULT_HASHING_ALGORITHM
//! - Django 4.0 release notes: features removed in 4.0
//! - Django 3.2 documentation: Settings → DEFAULT_HASHING_ALGORITHM
//! - CWE-327: Use of a Broken or Risky Cryptographic Algorithm

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E100",
        title: "Invalid DEFAULT_HASHING_ALGORITHM",
        severity: Severity::Medium,
        cwe: Some(327),
        groups: &["django", "settings"],
    },
    deploy_only: false,
    since: (3, 1),
    until: Some((4, 0)),
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let s = cx.get("DEFAULT_HASHING_ALGORITHM");
    // Django tests `not in {"sha1", "sha256"}`: an unhashable value makes the check raise.
    if !s
        .value
        .hashable()
        .map_err(|u| Unknown::new(format!("DEFAULT_HASHING_ALGORITHM: {}", u.reason)))?
    {
        return Err(Unknown::new(
            "DEFAULT_HASHING_ALGORITHM is unhashable, which makes Django's check raise an exception",
        ));
    }
    let ok = any_of([
        s.value.py_eq(&Value::Str("sha1".into())),
        s.value.py_eq(&Value::Str("sha256".into())),
    ]);
    fire_if(
        not(ok).map_err(|u| Unknown::new(format!("DEFAULT_HASHING_ALGORITHM: {}", u.reason))),
        || {
            Hit::new(
                "DEFAULT_HASHING_ALGORITHM",
                format!(
                    "DEFAULT_HASHING_ALGORITHM = {} is not 'sha1' or 'sha256'.",
                    s.value.repr()
                ),
                "Remove DEFAULT_HASHING_ALGORITHM (the setting was transitional and is gone in Django 4.0) or set it to \"sha256\".",
            )
        },
    )
}
