//! # DJG021: HTTPS redirect behind a proxy without SECURE_PROXY_SSL_HEADER
//!
//! ## What it does
//! Fires when SECURE_SSL_REDIRECT is True, the settings show that Django runs behind a proxy
//! (`USE_X_FORWARDED_HOST` or `USE_X_FORWARDED_PORT` is True, or a middleware in MIDDLEWARE is
//! named for forwarded or proxy headers), and SECURE_PROXY_SSL_HEADER is not set.
//!
//! ## Why is this bad?
//! Behind a TLS-terminating proxy every request reaches Django over plain HTTP. Without
//! SECURE_PROXY_SSL_HEADER Django cannot tell that the client used HTTPS: SECURE_SSL_REDIRECT
//! redirects forever, `request.is_secure()` is always False, and secure-only cookies and
//! absolute URLs go wrong. The usual "fix" under pressure is to turn the redirect off, which
//! leaves plain HTTP open.
//!
//! ## Example
//! ```python
//! USE_X_FORWARDED_HOST = True
//! SECURE_SSL_REDIRECT = True
//! ```
//!
//! ## Fix
//! Tell Django which header the proxy sets, and make the proxy overwrite it on every request:
//! `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")`. If the proxy itself
//! redirects HTTP to HTTPS, SECURE_SSL_REDIRECT can be left off instead.
//!
//! ## References
//! - Django documentation: Settings → SECURE_PROXY_SSL_HEADER, SECURE_SSL_REDIRECT
//! - Django deployment checklist: HTTPS
//! - CWE-16: Configuration

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
use crate::settings::value::{Unknown, Value, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG021",
        title: "HTTPS redirect behind a proxy without SECURE_PROXY_SSL_HEADER",
        severity: Severity::Medium,
        cwe: Some(16),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn proxy_middleware(cx: &DjangoCx) -> crate::settings::value::Known<bool> {
    let items = cx
        .get("MIDDLEWARE")
        .value
        .iter_elements()
        .map_err(|u| Unknown::new(format!("MIDDLEWARE: {}", u.reason)))?;
    Ok(items.iter().any(|v| {
        matches!(v, Value::Str(s) if {
            let l = s.to_ascii_lowercase();
            l.contains("forwarded") || l.contains("proxy") || l.contains("remoteaddr")
        })
    }))
}

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.is_true("SECURE_SSL_REDIRECT")? || !cx.is_none("SECURE_PROXY_SSL_HEADER")? {
        return Ok(Vec::new());
    }
    let proxy = any_of([
        cx.is_true("USE_X_FORWARDED_HOST"),
        cx.is_true("USE_X_FORWARDED_PORT"),
        proxy_middleware(cx),
    ]);
    crate::rules::django::fire_if(proxy, || {
        Hit::new(
            "SECURE_SSL_REDIRECT",
            "SECURE_SSL_REDIRECT is on behind a proxy but SECURE_PROXY_SSL_HEADER is not set, so Django sees every request as plain HTTP and redirects in a loop.".into(),
            "Set SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\") and make the proxy overwrite that header.",
        )
    })
}
