//! # DJG301: Django series past its end of support
//!
//! ## What it does
//! Fires when the Django version a lock or requirements file pins belongs to a release
//! series whose extended support has ended (3.2 on 2024-04-01, 4.2 on 2026-04-30, ...), or
//! when a range allows only such series. The dates come from Django's published support
//! calendar, built into djguard with the date it was made.
//!
//! ## Why is this bad?
//! Django fixes security issues only in the supported series. Once a series is past its end
//! of support, every later vulnerability stays open in it, and advisories often do not even
//! say whether the old series is affected, so other tools report it clean.
//!
//! ## Example
//! ```text
//! Django==3.2.25
//! ```
//!
//! ## Fix
//! Upgrade to a supported series, preferably the current long-term-support release
//! (`Django==5.2.*` until April 2028). Read the release notes of each feature release on
//! the way for deprecations that became removals.
//!
//! ## References
//! - Django's download page, "Supported versions"
//! - Django's release process: "Supported versions" and long-term support releases

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG301",
    title: "Django series past its end of support",
    severity: Severity::High,
    cwe: Some(1104),
    groups: &["deps", "dependencies"],
};
