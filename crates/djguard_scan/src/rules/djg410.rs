//! # DJG410: Content-Security-Policy hardening gaps
//!
//! ## What it does
//! Fires for weaknesses of an enforced policy that do not by themselves let an injected script
//! run (those are DJG409):
//! - `'unsafe-eval'` in `script-src` (or its `default-src` fallback);
//! - no `base-uri` directive (it never falls back to `default-src`);
//! - no explicit `object-src` (relying on a `default-src` that is not `'none'`);
//! - a directive repeated within one policy, an unknown directive name, or a malformed source;
//! - `http:` or `http://` sources in `img-src` or `media-src` only, on an HTTPS site.
//!
//! ## Why is this bad?
//! `'unsafe-eval'` lets injected strings become code through `eval`, `new Function` and string
//! timers, which template-injection and DOM bugs exploit. Without `base-uri`, an injected
//! `<base href>` redirects every relative script URL, nonced ones included, to another host.
//! Browsers keep only the first occurrence of a repeated directive and skip what they cannot
//! parse, so part of the policy you wrote is silently not applied. Plain-HTTP images and media
//! can be swapped in transit and make the page mixed content.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-eval';
//!     img-src 'self' http://img.example.net; script-src 'self' 'nonce-r4nd0m'
//!     (one header line, wrapped here)
//! ```
//!
//! ## Fix
//! ```python
//! from django.utils.csp import CSP
//!
//! SECURE_CSP = {
//!     "default-src": [CSP.SELF],
//!     "script-src": [CSP.SELF, CSP.NONCE],
//!     "object-src": [CSP.NONE],
//!     "base-uri": [CSP.NONE],        # CSP.SELF if the pages use <base>
//!     "img-src": [CSP.SELF, "https://img.example.net"],
//! }
//! ```
//! Replace libraries or template engines that need `eval` (`CSP.WASM_UNSAFE_EVAL` suffices for
//! WebAssembly alone), and build the policy in one place so no directive appears twice.
//!
//! ## References
//! - Django documentation: Content Security Policy (Django 6.0+); Settings, SECURE_CSP
//! - W3C Content Security Policy Level 3: base-uri, object-src, directive parsing
//! - MDN: Content-Security-Policy, base-uri, object-src; Mixed content
//! - OWASP Content Security Policy Cheat Sheet
//! - CWE-693: Protection Mechanism Failure

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG410",
        title: "Content-Security-Policy hardening gaps",
        severity: Severity::Low,
        cwe: Some(693),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
