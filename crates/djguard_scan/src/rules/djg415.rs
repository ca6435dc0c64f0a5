//! # DJG415: No Permissions-Policy
//!
//! ## What it does
//! Fires when the HTML page sends no `Permissions-Policy` header.
//!
//! ## Why is this bad?
//! `Permissions-Policy` switches off browser features the site does not use (camera,
//! microphone, geolocation, payment, USB, and others) for its own pages and for every frame it
//! embeds. If an injected or compromised third-party script runs, or an embedded ad or widget
//! misbehaves, it cannot ask the user for those capabilities in your site's name. It is defence
//! in depth, not a fix for a hole, hence the severity.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! (no Permissions-Policy)
//! ```
//!
//! ## Fix
//! Django has no setting for it. Use the django-permissions-policy package:
//! ```python
//! MIDDLEWARE = [
//!     "django.middleware.security.SecurityMiddleware",
//!     "django_permissions_policy.PermissionsPolicyMiddleware",
//!     # ...
//! ]
//! PERMISSIONS_POLICY = {
//!     "camera": [],
//!     "geolocation": [],
//!     "microphone": [],
//!     "payment": [],
//!     "usb": [],
//! }
//! ```
//! or set it at the proxy (nginx):
//! ```nginx
//! add_header Permissions-Policy "camera=(), geolocation=(), microphone=(), payment=(), usb=()" always;
//! ```
//!
//! ## References
//! - W3C Permissions Policy
//! - MDN: Permissions-Policy
//! - django-permissions-policy documentation (README)
//! - OWASP HTTP Headers Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG415",
        title: "No Permissions-Policy",
        severity: Severity::Info,
        cwe: Some(693),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
