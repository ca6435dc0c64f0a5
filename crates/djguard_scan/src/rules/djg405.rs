//! # DJG405: Legacy TLS 1.0 or 1.1 accepted
//!
//! ## What it does
//! Opens extra connections with a ClientHello that offers only TLS 1.0, then only TLS 1.1.
//! Fires when the server answers either with a ServerHello for that version, that is, agrees to
//! speak it. A server that refuses both (handshake alert, `protocol_version`) passes.
//!
//! ## Why is this bad?
//! TLS 1.0 and 1.1 were formally deprecated in 2021 (RFC 8996). They depend on MD5 and SHA-1 in
//! the handshake, lack the AEAD cipher suites of TLS 1.2 and 1.3, and have a history of practical
//! attacks on their CBC constructions (BEAST, Lucky Thirteen). Every current browser has
//! dropped them, so keeping them on serves no real user and fails compliance regimes such as
//! PCI DSS.
//!
//! ## Example
//! ```text
//! ClientHello  (versions offered: TLS 1.0 only)   -> example.com:443
//! ServerHello  version=TLS 1.0  cipher=TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
//! ```
//!
//! ## Fix
//! Allow only TLS 1.2 and 1.3 where TLS ends; this is the Mozilla "intermediate" profile. In
//! nginx (where older releases enabled TLS 1.0 and 1.1 by default), in the `http` block or every
//! `server` listening on 443:
//! ```nginx
//! ssl_protocols TLSv1.2 TLSv1.3;
//! ```
//! Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`. On a load balancer or CDN, select a security
//! policy with TLS 1.2 as the minimum. Django plays no part in the TLS handshake.
//!
//! ## References
//! - RFC 8996 (Deprecating TLS 1.0 and TLS 1.1)
//! - Mozilla: Server Side TLS guidelines; SSL Configuration Generator
//! - nginx documentation: ssl_protocols
//! - OWASP Transport Layer Security Cheat Sheet
//! - CWE-327: Use of a Broken or Risky Cryptographic Algorithm

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG405",
        title: "Legacy TLS 1.0 or 1.1 accepted",
        severity: Severity::Medium,
        cwe: Some(327),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-10),
};
