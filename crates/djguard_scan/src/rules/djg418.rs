//! # DJG418: Server software version disclosed
//!
//! ## What it does
//! Fires when `Server`, `X-Powered-By` or a similar product header carries a version number:
//! `nginx/1.22.1`, `Apache/2.4.57 (Debian) OpenSSL/3.0.11`, `PHP/8.2.7`, `CPython/3.11.2`. A
//! bare product name (`Server: nginx`) does not fire. Django's development server has its own
//! rule, DJG424.
//!
//! ## Why is this bad?
//! An exact version tells an attacker which published vulnerabilities apply without any
//! probing, and lets mass scanners pick out outdated servers across the internet. It is not a
//! hole by itself, but it saves the attacker work and advertises how current your patching is.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Server: nginx/1.22.1
//! X-Powered-By: PHP/8.2.7
//! ```
//!
//! ## Fix
//! In nginx, `server_tokens off;` in the `http` block reduces the header to `Server: nginx`
//! (removing it entirely needs a module such as headers-more). nginx already drops the upstream
//! server's `Server` header when proxying; hide other upstream headers with
//! `proxy_hide_header X-Powered-By;`. In Apache: `ServerTokens Prod` and `ServerSignature Off`.
//! Check the load balancer or CDN for headers of its own, and keep the software updated either
//! way.
//!
//! ## References
//! - nginx documentation: server_tokens; proxy_hide_header
//! - Apache HTTP Server documentation: ServerTokens; ServerSignature
//! - OWASP Web Security Testing Guide: Fingerprint Web Server
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG418",
        title: "Server software version disclosed",
        severity: Severity::Low,
        cwe: Some(200),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
