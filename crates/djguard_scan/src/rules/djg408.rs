//! # DJG408: No Content-Security-Policy
//!
//! ## What it does
//! Fires when an HTML page carries no enforced policy: no `Content-Security-Policy` header and
//! no `<meta http-equiv="Content-Security-Policy">` element. When the page sends only
//! `Content-Security-Policy-Report-Only`, the finding says so: the policy is being tried out but
//! blocks nothing. Weak policies are DJG409 and DJG410; the settings side is DJG017.
//!
//! ## Why is this bad?
//! Django's autoescaping stops most cross-site scripting, but `|safe`, `mark_safe`, JavaScript
//! contexts and third-party widgets still let some through. A Content-Security-Policy is the
//! browser-side second line: with it, an injected `<script>` from an unlisted source, or without
//! the page's nonce, does not run. Without one, any injection runs with the user's session.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Content-Security-Policy-Report-Only: default-src 'self'; report-uri /csp-report/
//! ```
//!
//! ## Fix
//! Django 6.0 and later:
//! ```python
//! from django.utils.csp import CSP
//!
//! MIDDLEWARE += ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
//! SECURE_CSP = {
//!     "default-src": [CSP.SELF],
//!     "script-src": [CSP.SELF, CSP.NONCE],
//!     "object-src": [CSP.NONE],
//!     "base-uri": [CSP.NONE],
//! }
//! ```
//! Try the same dictionary first as `SECURE_CSP_REPORT_ONLY`, fix what the reports show, then
//! move it to `SECURE_CSP`. On older Django, use django-csp (`csp.middleware.CSPMiddleware`,
//! `CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}` in version 4). A fixed policy can also be
//! added by the proxy (`add_header Content-Security-Policy "..." always;` in nginx), but nonces
//! need the application.
//!
//! ## References
//! - Django documentation: Content Security Policy (Django 6.0+); Settings, SECURE_CSP and
//!   SECURE_CSP_REPORT_ONLY
//! - django-csp documentation: Configuring django-csp
//! - W3C Content Security Policy Level 3
//! - MDN: Content-Security-Policy; Content-Security-Policy-Report-Only
//! - OWASP Content Security Policy Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG408",
        title: "No Content-Security-Policy",
        severity: Severity::Medium,
        cwe: Some(693),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
