//! # DJG412: X-Content-Type-Options nosniff missing
//!
//! ## What it does
//! Fires when a response the scan receives lacks `X-Content-Type-Options`, or sends it with
//! any value other than `nosniff` (the comparison ignores case).
//!
//! ## Why is this bad?
//! Without `nosniff`, browsers may guess a response's type from its content instead of trusting
//! `Content-Type`. A user-uploaded file served as `text/plain` or an image can then be treated
//! as HTML or script and run in your origin, which turns an upload feature into cross-site
//! scripting. With `nosniff`, browsers also refuse to run scripts and apply stylesheets served
//! with the wrong type.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! (no X-Content-Type-Options)
//! ```
//!
//! ## Fix
//! For Django's own responses, keep `SecurityMiddleware` in `MIDDLEWARE` with
//! ```python
//! SECURE_CONTENT_TYPE_NOSNIFF = True   # the default since Django 3.0; check security.W006
//! ```
//! For files the web server sends from `STATIC_ROOT` and `MEDIA_ROOT`, add it there too, e.g.
//! `add_header X-Content-Type-Options nosniff always;` in the nginx `location` blocks.
//!
//! ## References
//! - Django documentation: Middleware, SecurityMiddleware, "X-Content-Type-Options: nosniff"
//! - Django documentation: Settings, SECURE_CONTENT_TYPE_NOSNIFF; system check security.W006
//! - WHATWG Fetch Standard: X-Content-Type-Options
//! - MDN: X-Content-Type-Options; MIME type sniffing
//! - OWASP HTTP Headers Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG412",
        title: "X-Content-Type-Options nosniff missing",
        severity: Severity::Low,
        cwe: Some(693),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
