//! # DJG428: Browsable API exposed
//!
//! ## What it does
//! Requests the API paths it finds (and `/api/`) with `Accept: text/html`, and fires when Django
//! REST framework's browsable API answers: an HTML page whose title ends in
//! "Django REST framework" and that loads DRF's own static files (`rest_framework/...`).
//!
//! ## Why is this bad?
//! The browsable API gives every visitor a clickable, documented tour of the API: the endpoints,
//! their fields and filters, the allowed methods, and forms that submit to them, often next to
//! a session login at `api-auth/`. That is convenient in development and a reconnaissance aid in
//! production, and the HTML renderer is extra code exposed to untrusted data that has had its own
//! cross-site scripting bugs. Harmless for a deliberately public API, hence the low severity.
//!
//! ## Example
//! ```text
//! GET /api/ HTTP/1.1
//! Host: example.com
//! Accept: text/html
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Allow: GET, HEAD, OPTIONS
//! Vary: Accept, Cookie
//!
//! <title>Api Root – Django REST framework</title>
//! ```
//!
//! ## Fix
//! In the production settings, render JSON only:
//! ```python
//! REST_FRAMEWORK = {
//!     "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
//! }
//! ```
//! keep `BrowsableAPIRenderer` in the development settings, and include
//! `path("api-auth/", include("rest_framework.urls"))` only there. Publish documentation on
//! purpose (an OpenAPI schema) if clients need it.
//!
//! ## References
//! - Django REST framework: API Guide, Renderers (BrowsableAPIRenderer) and Settings
//!   (DEFAULT_RENDERER_CLASSES)
//! - Django REST framework: Topics, The Browsable API
//! - OWASP API Security Top 10 (2023): API8 Security Misconfiguration
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG428",
        title: "Browsable API exposed",
        severity: Severity::Low,
        cwe: Some(200),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-5),
};
