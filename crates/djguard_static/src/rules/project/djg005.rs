//! # DJG005: Weak password hasher first in PASSWORD_HASHERS
//!
//! ## What it does
//! Fires when the first entry of PASSWORD_HASHERS, the one Django uses for new passwords, is a fast
//! or unsalted hasher: MD5, unsalted MD5, SHA1, unsalted SHA1 or crypt.
//!
//! ## Why is this bad?
//! These hashers compute billions of guesses per second on a GPU, and the unsalted ones let one
//! precomputed table crack every user at once. A leaked database then means leaked passwords, which
//! users reuse elsewhere. Django keeps them only to upgrade old hashes or to speed up test suites.
//!
//! ## Example
//! ```python
//! PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
//! ```
//!
//! ## Fix
//! Remove the override (Django's default is PBKDF2) or put a strong hasher first, e.g.
//! `django.contrib.auth.hashers.Argon2PasswordHasher` or `ScryptPasswordHasher`; keep legacy
//! hashers later in the list only while old hashes are upgraded at login. Fast hashers belong in
//! test settings only.
//!
//! ## References
//! - Django documentation: Password management → Using Argon2
//! - OWASP Password Storage Cheat Sheet
//! - CWE-916: Use of Password Hash With Insufficient Computational Effort

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG005",
        title: "Weak password hasher first in PASSWORD_HASHERS",
        severity: Severity::High,
        cwe: Some(916),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const WEAK: &[&str] = &[
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
    "django.contrib.auth.hashers.SHA1PasswordHasher",
    "django.contrib.auth.hashers.CryptPasswordHasher",
];

fn check(cx: &DjangoCx) -> Outcome {
    let hashers = cx.get("PASSWORD_HASHERS");
    if hashers.origin.is_none() {
        return Ok(Vec::new());
    }
    let first = match &hashers.value {
        Value::List(v) | Value::Tuple(v) => v.first().cloned(),
        Value::Unknown(u) => return Err(Unknown::new(format!("PASSWORD_HASHERS: {}", u.reason))),
        _ => None,
    };
    match first {
        Some(Value::Str(h)) if WEAK.contains(&h.as_str()) => Ok(vec![Hit::new(
            "PASSWORD_HASHERS",
            format!(
                "New passwords are hashed with {}, a fast hash that is cheap to crack once the database leaks.",
                h.rsplit('.').next().unwrap_or(&h)
            ),
            "Put a slow hasher first (Django's default PBKDF2, or Argon2PasswordHasher); keep weak ones only after it, for upgrading old hashes.",
        )]),
        Some(Value::Unknown(u)) => Err(Unknown::new(format!("PASSWORD_HASHERS: {}", u.reason))),
        _ => Ok(Vec::new()),
    }
}
