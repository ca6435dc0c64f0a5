//! # DJG414: Cross-origin isolation headers missing
//!
//! ## What it does
//! Fires when the HTML page sends no `Cross-Origin-Opener-Policy`, or sends `unsafe-none`; and
//! when `Cross-Origin-Opener-Policy`, `Cross-Origin-Resource-Policy` or
//! `Cross-Origin-Embedder-Policy` carries a value browsers do not accept (valid ones: COOP
//! `same-origin`, `same-origin-allow-popups`, `noopener-allow-popups`, `unsafe-none`; CORP
//! `same-origin`, `same-site`, `cross-origin`; COEP `require-corp`, `credentialless`,
//! `unsafe-none`), or is sent twice.
//!
//! ## Why is this bad?
//! COOP puts your page in its own browsing context group, so a cross-origin window that opened
//! it, or that it opens, loses its handle on it. That blocks cross-window attacks such as
//! reverse tabnabbing and several cross-site leak techniques, and together with COEP it gives
//! the page cross-origin isolation against Spectre-style reads. CORP stops other sites from
//! embedding your responses. An invalid value is ignored, leaving you without the protection you
//! configured. This is hardening, hence the severity.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Cross-Origin-Opener-Policy: same-orign
//! ```
//!
//! ## Fix
//! ```python
//! SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"   # the default since Django 4.0
//! ```
//! (`"same-origin-allow-popups"` if you rely on OAuth or payment popups); `SecurityMiddleware`
//! sends it, and Django's check `security.E024` rejects invalid values. Django has no setting
//! for CORP or COEP: add them at the proxy, e.g.
//! `add_header Cross-Origin-Resource-Policy same-origin always;`, and COEP (`require-corp` or
//! `credentialless`) only after checking that every embedded resource allows it.
//!
//! ## References
//! - Django documentation: Middleware, SecurityMiddleware, "Cross-Origin Opener Policy"
//! - Django documentation: Settings, SECURE_CROSS_ORIGIN_OPENER_POLICY; check security.E024
//! - HTML Living Standard: cross-origin opener policies; WHATWG Fetch Standard: CORP
//! - MDN: Cross-Origin-Opener-Policy; Cross-Origin-Resource-Policy; Cross-Origin-Embedder-Policy
//! - CWE-693: Protection Mechanism Failure

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG414",
        title: "Cross-origin isolation headers missing",
        severity: Severity::Info,
        cwe: Some(693),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
