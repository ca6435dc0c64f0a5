//! # DJG409: Content-Security-Policy allows script injection
//!
//! ## What it does
//! Works out which scripts the enforced policy lets run: `script-src`, or `default-src` when
//! there is none (with several policies, a source must pass each). Fires when that list allows
//! - `'unsafe-inline'` without a nonce or hash beside it (a nonce or hash makes browsers ignore
//!   `'unsafe-inline'`);
//! - `data:`, `*`, whole schemes (`http:`, `https:`) or scheme-wide wildcards (`https://*`);
//! - `http://` sources on an HTTPS site;
//! - `'strict-dynamic'` with no nonce or hash: browsers that support it then load no script
//!   at all, and older ones fall back to the rest of the list;
//!
//! or when `object-src` (else `default-src`, else anything) allows broad sources, since plugin
//! content can run script too.
//!
//! ## Why is this bad?
//! Each of these lets an attacker's script through: an injected inline `<script>` or event
//! handler, `<script src="data:...">`, or a script hosted anywhere on the internet (`https:`
//! covers every site). A script fetched over `http://` can be replaced by anyone on the network.
//! The header is there but blocks nothing an attacker needs.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-inline' https:
//! ```
//!
//! ## Fix
//! Allow your own scripts and those carrying the per-request nonce, nothing broader:
//! ```python
//! from django.utils.csp import CSP
//!
//! SECURE_CSP = {
//!     "default-src": [CSP.SELF],
//!     "script-src": [CSP.SELF, CSP.NONCE],
//!     "object-src": [CSP.NONE],
//!     "base-uri": [CSP.NONE],
//! }
//! ```
//! Add `"django.template.context_processors.csp"` to the template context processors and write
//! `<script nonce="{{ csp_nonce }}">` on the inline scripts you keep; move `onclick=` handlers
//! into script files; list third-party hosts by exact `https://` origin. With django-csp, use
//! `csp.constants.NONCE` and `{{ request.csp_nonce }}`.
//!
//! ## References
//! - Django documentation: Content Security Policy (Django 6.0+), nonce usage
//! - django-csp documentation: nonce
//! - W3C Content Security Policy Level 3: script-src, 'strict-dynamic', nonces and hashes
//! - MDN: Content-Security-Policy, script-src and object-src
//! - OWASP Content Security Policy Cheat Sheet
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG409",
        title: "Content-Security-Policy allows script injection",
        severity: Severity::Medium,
        cwe: Some(79),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
