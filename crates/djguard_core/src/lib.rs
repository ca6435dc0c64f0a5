//! djguard's vocabulary: what every stage of the audit shares and reports in. Findings,
//! severities and confidences, rule metadata and selectors, fingerprints, inline
//! suppressions, the run's report, the dates findings and caches carry, reading a project
//! file within the size cap, and Django's release list.
//!
//! This crate is at the bottom: it depends on no other djguard crate, parses no Python, runs
//! no rule and never touches the network.

pub mod dates;
pub mod django_version;
pub mod finding;
pub mod package;
pub mod report;
pub mod rule;
pub mod source;
pub mod suppress;
