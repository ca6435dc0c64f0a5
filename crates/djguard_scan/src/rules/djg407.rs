//! # DJG407: HSTS header invalid or not preload-ready
//!
//! ## What it does
//! Parses `Strict-Transport-Security` as RFC 6797 defines it (directives separated by `;`,
//! names case-insensitive, each at most once, `max-age` required and made of digits). Fires
//! when:
//! - the value cannot be parsed, has no `max-age`, or repeats a directive;
//! - the header is sent more than once, or its value holds a comma (two headers folded into
//!   one, typically Django's and the proxy's);
//! - `preload` is claimed without `includeSubDomains` or with `max-age` below 31536000, which
//!   hstspreload.org rejects;
//! - `includeSubDomains` is missing (`security.W005` in Django's checks).
//!
//! ## Why is this bad?
//! Browsers ignore an invalid header entirely, and of several headers they process only the
//! first, so the policy in force may not be the one you configured. Without
//! `includeSubDomains`, an attacker can use a plain-HTTP subdomain (real or spoofed on the local
//! network) to read or plant cookies scoped to the parent domain, and the site can never be
//! preloaded. A `preload` token the header cannot back up gets the submission refused, or the
//! domain removed from the list later.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Strict-Transport-Security: max-age=31536000; preload
//! Strict-Transport-Security: max-age=31536000; includeSubDomains
//! ```
//!
//! ## Fix
//! Send the header from one place. With Django:
//! ```python
//! SECURE_HSTS_SECONDS = 31536000
//! SECURE_HSTS_INCLUDE_SUBDOMAINS = True   # every subdomain must serve HTTPS first
//! SECURE_HSTS_PRELOAD = True              # only when you intend to submit to hstspreload.org
//! ```
//! and drop any `add_header Strict-Transport-Security` from nginx (Django does not add the
//! header when the response already has one, but nginx's `add_header` appends regardless). Or
//! remove the Django settings and keep one header at the proxy:
//! `add_header Strict-Transport-Security "max-age=31536000; includeSubDomains; preload" always;`.
//!
//! ## References
//! - RFC 6797, sections 6.1 (syntax) and 8.1 (several header fields)
//! - hstspreload.org: submission requirements
//! - Django documentation: Settings, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD
//! - Django system checks security.W005 and security.W021
//! - MDN: Strict-Transport-Security
//! - CWE-319: Cleartext Transmission of Sensitive Information

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG407",
        title: "HSTS header invalid or not preload-ready",
        severity: Severity::Low,
        cwe: Some(319),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
