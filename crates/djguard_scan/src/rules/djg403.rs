//! # DJG403: TLS certificate not valid
//!
//! ## What it does
//! Validates the certificate chain the server sends for the scanned host name, against Mozilla's
//! trusted root certificates (plus any `--ca-file`) and without fetching missing intermediates,
//! as rustls/webpki and most non-browser clients do. Fires when the certificate has expired or is not yet valid, when
//! none of its subject alternative names matches the host, or when the chain does not lead to a
//! trusted root: a self-signed certificate, a private CA, or an intermediate certificate the
//! server forgot to send. The finding says so when the scan then went on without verification:
//! everything else it reports came over a connection whose peer was not authenticated.
//!
//! ## Why is this bad?
//! A certificate that does not verify proves nothing about who is answering, so an attacker in
//! the path can present one of their own and read or change the traffic. Browsers show a
//! full-page warning, which teaches users to click through. API clients (Python `requests`,
//! curl, mobile apps) refuse to connect, and developers respond by turning verification off. A
//! missing intermediate is easy to miss because some browsers cache or download intermediates
//! themselves, while other clients fail.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1                      (to https://example.com/)
//! Host: example.com
//! -> TLS: certificate expired at 2026-03-02T12:00:00Z
//! -> TLS: certificate is valid for *.herokuapp.com, not example.com
//! -> TLS: unknown issuer (chain sent: leaf only, intermediate missing)
//! ```
//!
//! ## Fix
//! Nothing in Django's settings controls the certificate; fix it where TLS ends (web server,
//! load balancer, CDN):
//! - renew it, and make renewal automatic (DJG404);
//! - issue it for every name you serve (`example.com` and `www.example.com`);
//! - serve the full chain: with certbot, point nginx at `fullchain.pem`, not `cert.pem`
//!   (`ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;`);
//! - check the server's clock if the certificate is "not yet valid".
//!
//! For an internal site signed by a private CA, give the scanner that CA instead:
//! `djguard scan --ca-file internal-ca.pem https://intranet.example`.
//!
//! ## References
//! - RFC 5280 (X.509 certificate and path validation)
//! - RFC 9525 (service identity: matching the host name)
//! - MDN: Transport Layer Security
//! - OWASP Transport Layer Security Cheat Sheet
//! - CWE-295: Improper Certificate Validation

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG403",
        title: "TLS certificate not valid",
        severity: Severity::High,
        cwe: Some(295),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-20),
};
