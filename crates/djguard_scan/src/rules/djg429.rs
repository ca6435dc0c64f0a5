//! # DJG429: TRACE method enabled
//!
//! ## What it does
//! Sends `TRACE /` and fires when the answer is 200 with `Content-Type: message/http`, that is,
//! the server echoes the request back. Such an echo comes from the web server or a proxy, not
//! from Django.
//!
//! ## Why is this bad?
//! TRACE returns the request as the server received it, including headers added along the way:
//! cookies, `Authorization`, and headers that proxies insert (client addresses, internal host
//! names). It once let scripts read `HttpOnly` cookies ("cross-site tracing"); browsers no longer
//! allow scripts to send TRACE, so what remains is information disclosure and a sign that the
//! server has not been hardened.
//!
//! ## Example
//! ```text
//! TRACE / HTTP/1.1
//! Host: example.com
//! X-Probe: djguard
//!
//! HTTP/1.1 200 OK
//! Content-Type: message/http
//!
//! TRACE / HTTP/1.1
//! Host: example.com
//! X-Probe: djguard
//! ```
//!
//! ## Fix
//! Disable TRACE where it is answered: nginx already rejects it (405) unless configured
//! otherwise; in Apache set `TraceEnable Off`; check the load balancer or CDN in front.
//!
//! ## References
//! - RFC 9110 (HTTP Semantics), section 9.3.8 (TRACE)
//! - Apache HTTP Server documentation: TraceEnable
//! - OWASP Web Security Testing Guide: Test HTTP Methods
//! - CWE-693: Protection Mechanism Failure

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG429",
        title: "TRACE method enabled",
        severity: Severity::Low,
        cwe: Some(693),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-5),
};
