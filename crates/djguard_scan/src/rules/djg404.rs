//! # DJG404: TLS certificate expires soon
//!
//! ## What it does
//! Reads the `notAfter` date of the certificate the server presents. Fires when it is 30 days
//! away or less; the severity rises from medium to high when 7 days or fewer remain. The finding
//! states the date and the days left.
//!
//! ## Why is this bad?
//! On the day it expires, browsers block the site with a certificate error and API clients stop
//! connecting. ACME clients normally renew a certificate about 30 days before it ends (certbot's
//! default), so one this close to its end usually means renewal is failing or nobody reloaded the
//! web server after a renewal on disk. Certificate lifetimes are getting shorter, so manual
//! renewal no longer works.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1                      (to https://example.com/)
//! Host: example.com
//! -> TLS: certificate CN=example.com, issuer Let's Encrypt
//!    notBefore 2026-02-04T09:12:44Z, notAfter 2026-05-05T09:12:43Z (12 days left)
//!
//! HTTP/1.1 200 OK
//! ```
//!
//! ## Fix
//! Automate renewal with ACME: certbot with its systemd timer or cron job and
//! `--deploy-hook "systemctl reload nginx"` so the new certificate is served; Caddy or Traefik,
//! which renew by themselves; cert-manager on Kubernetes; or the managed certificates of your
//! platform. Look at the renewal logs to see why it stopped (a blocked
//! `/.well-known/acme-challenge/` path, DNS changes, rate limits), and monitor the expiry date.
//! Django is not involved.
//!
//! ## References
//! - RFC 8555 (ACME)
//! - Let's Encrypt documentation: Getting Started; Integration Guide (renewal)
//! - certbot documentation: Automated Renewals
//! - OWASP Transport Layer Security Cheat Sheet
//! - CWE-298: Improper Validation of Certificate Expiration

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG404",
        title: "TLS certificate expires soon",
        severity: Severity::Medium,
        cwe: Some(298),
        groups: &["live", "scan"],
    },
    penalty: Penalty::BySeverity {
        high: -10,
        lower: -5,
    },
};
