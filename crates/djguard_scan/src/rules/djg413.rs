//! # DJG413: Referrer-Policy missing or leaking
//!
//! ## What it does
//! Reads `Referrer-Policy` (and a `<meta name="referrer">` element) of the HTML page; the value
//! may list several tokens, of which browsers apply the last one they recognise. Fires when no
//! policy is set, when no token is a valid policy, or when the policy in force is one that sends
//! more than the origin across sites or down to HTTP: `unsafe-url`, `no-referrer-when-downgrade`,
//! `origin-when-cross-origin` or `origin`.
//!
//! ## Why is this bad?
//! The `Referer` header tells every site your pages link to or load from (analytics, CDNs,
//! embedded widgets, outbound links) which URL the user was on. Paths and query strings often
//! carry private data: search terms, record ids, invitation or sign-up tokens. The leaking
//! policies send the full URL to other sites, or the origin even over plain HTTP. Current
//! browsers fall back to `strict-origin-when-cross-origin` when nothing is sent, but other
//! clients do not, and an explicit weak policy overrides the safe default.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Referrer-Policy: unsafe-url
//! ```
//!
//! ## Fix
//! ```python
//! SECURE_REFERRER_POLICY = "same-origin"   # the default since Django 3.1
//! ```
//! or `"strict-origin-when-cross-origin"` if other sites need to see where their visitors came
//! from. `SecurityMiddleware` must be enabled; Django's checks are `security.W022` (unset) and
//! `security.E023` (invalid). At the proxy: `add_header Referrer-Policy same-origin always;`.
//!
//! ## References
//! - Django documentation: Middleware, SecurityMiddleware, "Referrer Policy"
//! - Django documentation: Settings, SECURE_REFERRER_POLICY; checks security.W022, security.E023
//! - W3C Referrer Policy
//! - MDN: Referrer-Policy
//! - OWASP HTTP Headers Cheat Sheet
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG413",
        title: "Referrer-Policy missing or leaking",
        severity: Severity::Low,
        cwe: Some(200),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
