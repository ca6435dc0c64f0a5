//! # DJG411: Page can be framed (clickjacking)
//!
//! ## What it does
//! Fires when an HTML response does not restrict who may put it in a frame: no
//! `X-Frame-Options: DENY` or `SAMEORIGIN`, and no enforced Content-Security-Policy whose
//! `frame-ancestors` limits the embedding sites. `ALLOW-FROM` and other values of
//! X-Frame-Options are ignored by current browsers, `frame-ancestors *` restricts nothing, and
//! `frame-ancestors` inside a `<meta>` policy has no effect. When both headers are present,
//! browsers follow `frame-ancestors`.
//!
//! ## Why is this bad?
//! In clickjacking, another site loads your page in an invisible frame over its own decoy
//! buttons, so the user's clicks land on your page: changing an e-mail address, confirming a
//! payment, approving an OAuth grant. Django's default `SameSite=Lax` session cookie keeps a
//! cross-site frame logged out in current browsers, but not a frame on a sibling subdomain, not
//! cookies set with `SameSite=None`, and not pages that act without a login.
//!
//! ## Example
//! ```text
//! GET /accounts/email/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! (no X-Frame-Options, no Content-Security-Policy)
//! ```
//!
//! ## Fix
//! Keep Django's clickjacking middleware on, with its default:
//! ```python
//! MIDDLEWARE += ["django.middleware.clickjacking.XFrameOptionsMiddleware"]
//! X_FRAME_OPTIONS = "DENY"   # the default since Django 3.0; "SAMEORIGIN" to frame your own pages
//! ```
//! and remove `@xframe_options_exempt` from views that do not need to be embedded. Or express
//! it in the policy header: `SECURE_CSP = {..., "frame-ancestors": [CSP.NONE]}` (`CSP.SELF` to
//! allow your own pages). At the proxy: `add_header X-Frame-Options DENY always;` in nginx.
//! Django's checks `security.W002` and `security.W019` cover the settings side.
//!
//! ## References
//! - Django documentation: Clickjacking Protection; Settings, X_FRAME_OPTIONS
//! - RFC 7034 (X-Frame-Options)
//! - W3C Content Security Policy Level 3: frame-ancestors
//! - MDN: X-Frame-Options; CSP frame-ancestors
//! - OWASP Clickjacking Defense Cheat Sheet
//! - CWE-1021: Improper Restriction of Rendered UI Layers or Frames

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG411",
        title: "Page can be framed (clickjacking)",
        severity: Severity::Medium,
        cwe: Some(1021),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
