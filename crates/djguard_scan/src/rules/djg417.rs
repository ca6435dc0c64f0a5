//! # DJG417: Cross-origin script without Subresource Integrity
//!
//! ## What it does
//! Looks at the `<script src>` elements of the HTML page. Fires for each script loaded from
//! another site (not a relative URL, not the same registrable domain) that has no `integrity`
//! attribute, and for each script fetched over plain `http://`, including protocol-relative
//! `//host/...` URLs on a page served over HTTP.
//!
//! ## Why is this bad?
//! A script you include runs with your origin's full power: it can read pages, submit forms and
//! act as the logged-in user. Including it from a CDN or vendor hands that power to whoever
//! controls that host; when the polyfill.io domain changed hands in 2024, the scripts it served
//! to many thousands of sites turned malicious. With `integrity`, the browser refuses a file
//! whose hash differs from the one you pinned. A script over plain HTTP can be replaced by
//! anyone on the network.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//!
//! <script src="https://cdn.jsdelivr.net/npm/htmx.org@2.0.4/dist/htmx.min.js"></script>
//! ```
//!
//! ## Fix
//! Pin an exact version and its hash:
//! ```html
//! <script src="https://cdn.jsdelivr.net/npm/htmx.org@2.0.4/dist/htmx.min.js"
//!         integrity="sha384-..." crossorigin="anonymous"></script>
//! ```
//! (compute it with `openssl dgst -sha384 -binary htmx.min.js | openssl base64 -A`), or copy the
//! file into your static files and serve it yourself through `collectstatic`. Scripts that
//! change by design (analytics loaders) cannot be pinned; limit them with a Content-Security-Policy
//! and load them only where needed.
//!
//! ## References
//! - W3C Subresource Integrity
//! - MDN: Subresource Integrity; the crossorigin attribute
//! - OWASP Third Party JavaScript Management Cheat Sheet
//! - CWE-353: Missing Support for Integrity Check

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG417",
        title: "Cross-origin script without Subresource Integrity",
        severity: Severity::Low,
        cwe: Some(353),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
