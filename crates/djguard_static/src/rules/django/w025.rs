//! # security.W025: Weak key in SECRET_KEY_FALLBACKS
//!
//! ## What it does
//! Fires once for each entry of `SECRET_KEY_FALLBACKS` that fails the same strength rule as W009:
//! shorter than 50 characters, fewer than 5 distinct characters, or starting with
//! `django-insecure-`. An empty string fails as well. Each message names the entry as
//! `SECRET_KEY_FALLBACKS[i]`; an entry that is not a string is reported as undecided. The setting
//! and the check exist from Django 4.1. Deploy-only, as in Django (`check --deploy`): djguard skips
//! it for settings modules named like development or test ones (`dev`, `local`, `test`, `ci`)
//! unless given with `--settings`.
//!
//! ## Why is this bad?
//! Django still accepts data signed with any fallback key: sessions, password-reset tokens, signed
//! cookies and `django.core.signing` values. A weak fallback is therefore as dangerous as a weak
//! `SECRET_KEY`: an attacker who guesses it can forge data that Django takes as genuine. The usual
//! way to get here is rotating away from the `django-insecure-` key that `startproject` wrote, by
//! moving it into the fallbacks.
//!
//! ## Example
//! ```python
//! # the old key from startproject, kept "for a while"
//! SECRET_KEY_FALLBACKS = ["django-insecure-3v@k!x0q..."]
//! ```
//!
//! ## Fix
//! Remove weak or leaked keys from the list now; users signed in with them will have to log in
//! again. Keep a strong old key only until the data signed with it has expired, which is two weeks
//! for sessions (`SESSION_COOKIE_AGE`) and three days for reset links (`PASSWORD_RESET_TIMEOUT`)
//! with the defaults, then delete it:
//! ```python
//! SECRET_KEY_FALLBACKS = []
//! ```
//! There is no good reason to silence this check for production settings.
//!
//! ## References
//! - Django documentation: Settings → SECRET_KEY_FALLBACKS, SECRET_KEY
//! - Django documentation: Cryptographic signing
//! - OWASP Secrets Management Cheat Sheet
//! - CWE-330: Use of Insufficiently Random Values

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W025",
        title: "Weak key in SECRET_KEY_FALLBACKS",
        severity: Severity::High,
        cwe: Some(330),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (4, 1),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let fallbacks = cx.get("SECRET_KEY_FALLBACKS");
    let keys = fallbacks
        .value
        .iter_elements()
        .map_err(|u| Unknown::new(format!("SECRET_KEY_FALLBACKS: {}", u.reason)))?;
    let mut hits = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        if !cx.key_is_strong(key, &format!("SECRET_KEY_FALLBACKS[{i}]"))? {
            let mut hit = Hit::new(
                "SECRET_KEY_FALLBACKS",
                format!(
                    "SECRET_KEY_FALLBACKS[{i}] is weak (under 50 characters, under 5 distinct characters, or prefixed 'django-insecure-'), and Django still accepts signatures made with it."
                ),
                "Remove old keys from SECRET_KEY_FALLBACKS once sessions signed with them have expired; never put a weak key there.",
            );
            hit.key = format!("SECRET_KEY_FALLBACKS[{i}]");
            hits.push(hit);
        }
    }
    Ok(hits)
}
