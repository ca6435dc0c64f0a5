//! # DJG303: Django behind the newest patch release of its series
//!
//! ## What it does
//! Fires when the pinned Django version is older than the newest release of the same
//! series (4.2.7 when 4.2.30 exists) and no known advisory applies to the pinned version,
//! saying how many releases behind it is. When advisories do apply, DJG304 reports them with
//! the upgrade instead (one root cause, one finding); with DJG304 switched off, this rule
//! names the advisories the newer releases fix.
//!
//! ## Why is this bad?
//! Django's patch releases carry the security fixes, and they are made to be safe to take
//! within a series: no new features, no deprecations. Being behind is the most common way a
//! Django site stays exposed to published vulnerabilities.
//!
//! ## Example
//! ```text
//! Django==4.2.7
//! ```
//!
//! ## Fix
//! Upgrade to the newest release of the series (`Django==4.2.30`), and keep a bot
//! (Dependabot, Renovate) proposing patch releases.
//!
//! ## References
//! - Django's release process: "Patch releases"
//! - Django's security archive (docs/releases/security)

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG303",
    title: "Django behind the newest patch release of its series",
    severity: Severity::Medium,
    cwe: Some(1104),
    groups: &["deps", "dependencies"],
};
