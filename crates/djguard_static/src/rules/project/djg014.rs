//! # DJG014: SameSite protection disabled on a cookie
//!
//! ## What it does
//! Fires for SESSION_COOKIE_SAMESITE and CSRF_COOKIE_SAMESITE when set to None (no attribute) or
//! `"None"` (cross-site sending allowed). Django's default is `"Lax"`.
//!
//! ## Why is this bad?
//! SameSite=Lax stops browsers from attaching the cookie to cross-site POSTs and subresource
//! requests, a second line of defence against CSRF and cross-site leaks. Turning it off is needed
//! only for sites embedded in other sites' frames or flows, and then every other defence must hold.
//!
//! ## Example
//! ```python
//! SESSION_COOKIE_SAMESITE = None
//! ```
//!
//! ## Fix
//! Remove the override (default `"Lax"`) or use `"Strict"`. If a cross-site embed really needs
//! `"None"`, document it with `# djguard: ignore[DJG014]` and make sure the cookie is Secure.
//!
//! ## References
//! - Django documentation: Settings → SESSION_COOKIE_SAMESITE, CSRF_COOKIE_SAMESITE
//! - MDN: Set-Cookie SameSite
//! - CWE-1275: Sensitive Cookie with Improper SameSite Attribute

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG014",
        title: "SameSite protection disabled on a cookie",
        severity: Severity::Medium,
        cwe: Some(1275),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let mut hits = Vec::new();
    for name in ["SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"] {
        let s = cx.get(name);
        let off = match &s.value {
            Value::None => true,
            Value::Str(v) => v.eq_ignore_ascii_case("none"),
            Value::Unknown(u) => return Err(Unknown::new(format!("{name}: {}", u.reason))),
            _ => false,
        };
        if s.origin.is_some() && off {
            let mut hit = Hit::new(
                name,
                format!(
                    "{name} is {}, so browsers attach the cookie to cross-site requests.",
                    s.value.repr()
                ),
                format!("Remove the {name} override (default \"Lax\") or set it to \"Strict\"."),
            );
            hit.key = name.to_string();
            hits.push(hit);
        }
    }
    Ok(hits)
}
