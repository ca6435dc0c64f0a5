//! # security.W019: X_FRAME_OPTIONS is not DENY
//!
//! ## What it does
//! Fires when `"django.middleware.clickjacking.XFrameOptionsMiddleware"` is in `MIDDLEWARE` and
//! `X_FRAME_OPTIONS` is not equal to the string `"DENY"`. The comparison is exact: no case folding,
//! no stripping. So `"deny"` fires although the middleware upper-cases the value and sends `DENY`.
//! The default has been `"DENY"` since Django 3.0, so this usually means `"SAMEORIGIN"`. It exists
//! in every Django release djguard models (3.0 and later). Deploy-only, as in Django
//! (`check --deploy`): djguard skips it for settings modules named like development or test ones
//! (`dev`, `local`, `test`, `ci`) unless given with `--settings`.
//!
//! ## Why is this bad?
//! `SAMEORIGIN` lets any page of your own origin frame every other page. If an attacker can get
//! content onto your origin, such as an uploaded HTML file served from the same host, an XSS in
//! some minor page or a user-controlled preview, they can frame a sensitive page from there and
//! clickjack it. Values other than `DENY` and `SAMEORIGIN`, such as the obsolete `ALLOW-FROM ...`,
//! are ignored by current browsers, which then allow framing from any site.
//!
//! ## Example
//! ```python
//! MIDDLEWARE = ["django.middleware.clickjacking.XFrameOptionsMiddleware"]
//! X_FRAME_OPTIONS = "SAMEORIGIN"
//! ```
//!
//! ## Fix
//! Set `X_FRAME_OPTIONS = "DENY"` or delete the line. If only a few views must be framed by your
//! own pages (previews, embedded editors), keep `DENY` globally and decorate those views with
//! `@xframe_options_sameorigin` from `django.views.decorators.clickjacking`. If the whole site
//! really needs same-origin framing, add `"security.W019"` to `SILENCED_SYSTEM_CHECKS` or put
//! `# djguard: ignore[security.W019]` on the setting's line.
//!
//! ## References
//! - Django documentation: Clickjacking Protection
//! - Django documentation: Settings → X_FRAME_OPTIONS
//! - MDN: X-Frame-Options
//! - OWASP Clickjacking Defense Cheat Sheet
//! - CWE-1021: Improper Restriction of Rendered UI Layers or Frames

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W019",
        title: "X_FRAME_OPTIONS is not DENY",
        severity: Severity::Low,
        cwe: Some(1021),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let deny = cx
        .get("X_FRAME_OPTIONS")
        .value
        .py_eq(&Value::Str("DENY".into()));
    let pass = any_of([not(cx.middleware(XFRAME_MIDDLEWARE)), deny]);
    fire_if(not(pass), || {
        Hit::new(
            "X_FRAME_OPTIONS",
            format!(
                "{}, not 'DENY', so the site's own pages (or, for invalid values, any site) may frame them.",
                cx.get("X_FRAME_OPTIONS").describe()
            ),
            "Set X_FRAME_OPTIONS = \"DENY\" unless the site really frames its own pages (then silence this check).",
        )
    })
}
