//! # DJG010: SECURE_PROXY_SSL_HEADER is malformed
//!
//! ## What it does
//! Fires when SECURE_PROXY_SSL_HEADER is set but is not a pair `(header, value)` whose header is
//! the WSGI form (`HTTP_` followed by upper-case letters, digits and underscores, such as
//! `HTTP_X_FORWARDED_PROTO`) and whose value is exactly `"https"`.
//!
//! ## Why is this bad?
//! Django compares the header against `request.META` byte for byte. A header written as
//! `X-Forwarded-Proto` or a value of `"HTTPS"` never matches, so Django believes every request is
//! plain HTTP: with SECURE_SSL_REDIRECT the site loops, and secure cookies and `is_secure()` checks
//! misbehave in ways that get "fixed" by switching protections off. A non-pair value makes Django
//! raise on every request.
//!
//! ## Example
//! ```python
//! SECURE_PROXY_SSL_HEADER = ("X-Forwarded-Proto", "https")
//! ```
//!
//! ## Fix
//! `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")`, and only if the proxy in front
//! of Django always sets or strips that header.
//!
//! ## References
//! - Django documentation: Settings → SECURE_PROXY_SSL_HEADER
//! - CWE-16: Configuration

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG010",
        title: "SECURE_PROXY_SSL_HEADER is malformed",
        severity: Severity::Medium,
        cwe: Some(16),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let s = cx.get("SECURE_PROXY_SSL_HEADER");
    let problem = match &s.value {
        Value::None => return Ok(Vec::new()),
        Value::Unknown(u) => {
            return Err(Unknown::new(format!(
                "SECURE_PROXY_SSL_HEADER: {}",
                u.reason
            )));
        }
        Value::Tuple(v) | Value::List(v) if v.len() == 2 => match (&v[0], &v[1]) {
            (Value::Str(h), Value::Str(val)) => {
                let wsgi = h.starts_with("HTTP_")
                    && h.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if !wsgi {
                    format!(
                        "the header {h:?} is not in request.META form (e.g. \"HTTP_X_FORWARDED_PROTO\")"
                    )
                } else if val != "https" {
                    format!("the value {val:?} is compared exactly and should be \"https\"")
                } else {
                    return Ok(Vec::new());
                }
            }
            (Value::Unknown(u), _) | (_, Value::Unknown(u)) => {
                return Err(Unknown::new(format!(
                    "SECURE_PROXY_SSL_HEADER: {}",
                    u.reason
                )));
            }
            _ => "both items must be strings".to_string(),
        },
        other => format!("it must be a (header, value) pair, not {}", other.repr()),
    };
    Ok(vec![Hit::new(
        "SECURE_PROXY_SSL_HEADER",
        format!("SECURE_PROXY_SSL_HEADER never matches a request: {problem}."),
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\"), if the proxy always sets that header.",
    )])
}
