//! # security.E024: Invalid SECURE_CROSS_ORIGIN_OPENER_POLICY
//!
//! ## What it does
//! Fires when `"django.middleware.security.SecurityMiddleware"` is in `MIDDLEWARE` and
//! `SECURE_CROSS_ORIGIN_OPENER_POLICY` is neither `None` nor exactly one of `"same-origin"` (the
//! default), `"same-origin-allow-popups"` or `"unsafe-none"`. The comparison is exact: no
//! stripping, no case folding, and `""` is invalid. A list makes Django's check crash with a
//! TypeError instead of reporting, so djguard reports it as undecided. It is an Error, so
//! `check --deploy` exits with status 1. The setting and the check exist from Django 4.0.
//! Deploy-only, as in Django (`check --deploy`): djguard skips it for settings modules named like
//! development or test ones (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! Browsers ignore a `Cross-Origin-Opener-Policy` header they cannot parse. The page then shares
//! its browsing context group with cross-origin windows: a site that opened it, or that it opens,
//! keeps a `window` handle to it, can navigate it elsewhere (tabnabbing) and can use cross-window
//! side channels to learn about its state (XS-Leaks). The page also cannot become cross-origin
//! isolated. Because Django reports an Error, deployment pipelines that run `check --deploy` stop.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
//! SECURE_CROSS_ORIGIN_OPENER_POLICY = "Same-Origin"  # case matters
//! ```
//!
//! ## Fix
//! Delete the line (the default is `"same-origin"`), or use `"same-origin-allow-popups"` if the
//! site opens cross-origin popups that must talk back to it, such as OAuth or payment windows.
//! `None` sends no header and is accepted by the check, so use it only on purpose. An invalid value
//! is never worth silencing.
//!
//! ## References
//! - Django documentation: Settings → SECURE_CROSS_ORIGIN_OPENER_POLICY
//! - Django documentation: Middleware → Cross-Origin Opener Policy
//! - MDN: Cross-Origin-Opener-Policy
//! - OWASP HTTP Security Response Headers Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.E024",
        title: "Invalid SECURE_CROSS_ORIGIN_OPENER_POLICY",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (4, 0),
    until: None,
    check,
};

const VALID: &[&str] = &["same-origin", "same-origin-allow-popups", "unsafe-none"];

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.security_middleware()? || cx.is_none("SECURE_CROSS_ORIGIN_OPENER_POLICY")? {
        return Ok(Vec::new());
    }
    let setting = cx.get("SECURE_CROSS_ORIGIN_OPENER_POLICY");
    if !setting.value.hashable()? {
        return Err(Unknown::new(
            "SECURE_CROSS_ORIGIN_OPENER_POLICY is unhashable, which makes Django's check raise an exception",
        ));
    }
    if matches!(&setting.value, Value::Str(s) if VALID.contains(&s.as_str())) {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        format!(
            "SECURE_CROSS_ORIGIN_OPENER_POLICY = {} is not a valid Cross-Origin-Opener-Policy value.",
            setting.value.repr()
        ),
        "Use \"same-origin\" (Django's default), \"same-origin-allow-popups\" or \"unsafe-none\" (exact, lower-case).",
    )])
}
