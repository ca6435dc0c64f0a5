//! # DJG423: Any Host header accepted
//!
//! ## What it does
//! Requests the home page with a made-up `Host` header (`djguard-<random>.invalid`). Fires when
//! the answer is the normal page (200) instead of Django's `400 Bad Request` for a disallowed
//! host. This happens with `ALLOWED_HOSTS = ["*"]`, or when a default virtual host passes any
//! name through to the application. Under `DEBUG = True` the 400 is a technical page, which is
//! DJG422 and DJG430.
//!
//! ## Why is this bad?
//! Django builds absolute URLs from the `Host` header. Without the sites framework, password
//! reset e-mails use it for their links: an attacker asks for a reset of the victim's account
//! with `Host: attacker.example`, and the e-mailed link, token included, points to the
//! attacker's server. A cache in front of the site can be poisoned with such links. Answering any
//! name also lets others point their domains at your server, and helps DNS-rebinding attacks on
//! services reached through it.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: djguard-7c1e.invalid
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//! ```
//!
//! ## Fix
//! ```python
//! ALLOWED_HOSTS = ["example.com", "www.example.com"]
//! USE_X_FORWARDED_HOST = False  # the default; True only if the proxy sets X-Forwarded-Host
//! ```
//! and have the web server refuse names it does not serve, with a default server that closes
//! the connection:
//! ```nginx
//! server {
//!     listen 80 default_server;
//!     listen 443 ssl default_server;
//!     ssl_reject_handshake on;
//!     return 444;
//! }
//! ```
//! A proxy that rewrites `Host` to a fixed name protects Django but still answers every name;
//! the default server fixes that too. The settings side is DJG004.
//!
//! ## References
//! - Django documentation: Security in Django, "Host header validation"
//! - Django documentation: Settings, ALLOWED_HOSTS and USE_X_FORWARDED_HOST
//! - Django deployment checklist: ALLOWED_HOSTS
//! - nginx documentation: How nginx processes a request (default server); ssl_reject_handshake
//! - OWASP Web Security Testing Guide: Testing for Host Header Injection
//! - CWE-20: Improper Input Validation

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG423",
        title: "Any Host header accepted",
        severity: Severity::Medium,
        cwe: Some(20),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-10),
};
