//! # security.W006: X-Content-Type-Options: nosniff is not sent
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE` and
//! `SECURE_CONTENT_TYPE_NOSNIFF` is not the object `True`. Django tests `is True`, so `1` or
//! `"yes"` fire too. The default has been `True` since Django 3.0, so in practice this fires only
//! when the setting is overridden. It exists in every Django release djguard models (3.0 and
//! later). Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules
//! named like development or test ones (`dev`, `local`, `test`, `ci`) unless given with
//! `--settings`.
//!
//! ## Why is this bad?
//! Without `X-Content-Type-Options: nosniff`, browsers may disregard the declared `Content-Type`
//! and guess the type from the content. A file a user uploaded that is really HTML or JavaScript,
//! served back as `text/plain` or as an image, can then be rendered or run in your origin: stored
//! cross-site scripting with access to other users' sessions. The header also stops browsers from
//! executing a response that is not JavaScript as a `<script>`.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_CONTENT_TYPE_NOSNIFF = False
//! ```
//!
//! ## Fix
//! Delete the override (the default is `True`) or write `SECURE_CONTENT_TYPE_NOSNIFF = True`. There
//! is rarely a reason to turn it off. If a web server in front already adds the header to every
//! response, you may add `"security.W006"` to `SILENCED_SYSTEM_CHECKS` or put
//! `# djguard: ignore[security.W006]` on the setting's line.
//!
//! ## References
//! - Django documentation: Middleware → X-Content-Type-Options: nosniff
//! - Django documentation: Settings → SECURE_CONTENT_TYPE_NOSNIFF
//! - MDN: X-Content-Type-Options
//! - OWASP HTTP Security Response Headers Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W006",
        title: "X-Content-Type-Options: nosniff is not sent",
        severity: Severity::Low,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let pass = any_of([
        not(cx.security_middleware()),
        cx.is_true("SECURE_CONTENT_TYPE_NOSNIFF"),
    ]);
    fire_if(not(pass), || {
        Hit::new(
            "SECURE_CONTENT_TYPE_NOSNIFF",
            format!(
                "{}, so responses lack 'X-Content-Type-Options: nosniff' and browsers may sniff uploads as scripts or HTML.",
                cx.get("SECURE_CONTENT_TYPE_NOSNIFF").describe_not_true()
            ),
            "Set SECURE_CONTENT_TYPE_NOSNIFF = True (Django's default) or remove the override.",
        )
    })
}
