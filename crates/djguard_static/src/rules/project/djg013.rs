//! # DJG013: Session cookie lifetime too long
//!
//! ## What it does
//! Fires when SESSION_COOKIE_AGE is set above 30 days (Django's default is two weeks).
//!
//! ## Why is this bad?
//! A session cookie is a bearer token: whoever holds it is logged in. The longer it lives, the
//! longer a stolen cookie, a shared computer or a forgotten browser keeps an account open.
//!
//! ## Example
//! ```python
//! SESSION_COOKIE_AGE = 60 * 60 * 24 * 365  # one year
//! ```
//!
//! ## Fix
//! Keep sessions short (`SESSION_COOKIE_AGE = 1209600`, two weeks, or less for sensitive sites) and
//! offer "remember me" explicitly with `request.session.set_expiry()`.
//!
//! ## References
//! - Django documentation: Settings → SESSION_COOKIE_AGE
//! - OWASP Session Management Cheat Sheet: Session Expiration
//! - CWE-613: Insufficient Session Expiration

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG013",
        title: "Session cookie lifetime too long",
        severity: Severity::Low,
        cwe: Some(613),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const LIMIT: i128 = 30 * 24 * 3600;

fn check(cx: &DjangoCx) -> Outcome {
    let s = cx.get("SESSION_COOKIE_AGE");
    let seconds = match &s.value {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i128,
        Value::Unknown(u) => return Err(Unknown::new(format!("SESSION_COOKIE_AGE: {}", u.reason))),
        _ => return Ok(Vec::new()),
    };
    if s.origin.is_none() || seconds <= LIMIT {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "SESSION_COOKIE_AGE",
        format!(
            "SESSION_COOKIE_AGE is {seconds} seconds ({} days), so a stolen session cookie stays valid that long.",
            seconds / 86400
        ),
        "Use at most two weeks (1209600, Django's default); offer longer sessions per user with request.session.set_expiry().",
    )])
}
