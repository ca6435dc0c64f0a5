//! # security.W022: No Referrer-Policy header
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE` and
//! `SECURE_REFERRER_POLICY` is `None`. The default is `"same-origin"` from Django 3.1; in 3.0 it
//! was `None`, so on 3.0 this fires for every project with the middleware that does not set it. An
//! empty list or tuple sends no header either, but neither Django nor djguard warns about it; an
//! empty string is reported as E023. It exists in every Django release djguard models (3.0 and
//! later). Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules
//! named like development or test ones (`dev`, `local`, `test`, `ci`) unless given with
//! `--settings`.
//!
//! ## Why is this bad?
//! Without a `Referrer-Policy` header, the browser's own default decides what it sends in the
//! `Referer` header when your pages link to or load resources from other sites. Current browsers
//! send only the origin across sites, but older ones send the full URL, including paths and query
//! strings that can hold record IDs, search terms or one-time tokens, to analytics providers, CDNs
//! and every site a user clicks through to. Setting the policy yourself makes this predictable.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_REFERRER_POLICY = None
//! ```
//!
//! ## Fix
//! Delete the line (the default is `"same-origin"`), or choose a policy explicitly, for example
//! `SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"`, which sends only the origin to
//! other sites and nothing from HTTPS to HTTP. If a proxy or web server sets the header for every
//! response, add `"security.W022"` to `SILENCED_SYSTEM_CHECKS` or put
//! `# djguard: ignore[security.W022]` on the setting's line.
//!
//! ## References
//! - Django documentation: Settings → SECURE_REFERRER_POLICY
//! - Django documentation: Middleware → Referrer Policy
//! - MDN: Referrer-Policy
//! - OWASP HTTP Security Response Headers Cheat Sheet
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W022",
        title: "No Referrer-Policy header",
        severity: Severity::Low,
        cwe: Some(200),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let cond = all_of([
        cx.security_middleware(),
        cx.is_none("SECURE_REFERRER_POLICY"),
    ]);
    fire_if(cond, || {
        Hit::new(
            "SECURE_REFERRER_POLICY",
            format!(
                "{}, so no Referrer-Policy header is sent and full URLs (with tokens in query strings) leak to other sites.",
                cx.get("SECURE_REFERRER_POLICY").describe()
            ),
            "Set SECURE_REFERRER_POLICY = \"same-origin\" (Django's default since 3.1) or \"strict-origin-when-cross-origin\".",
        )
    })
}
