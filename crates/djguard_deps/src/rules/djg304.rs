//! # DJG304: Dependency version with a known vulnerability
//!
//! ## What it does
//! Fires once per vulnerable package version pinned in a lock file, requirements file or
//! constraints file, listing every known advisory that applies (ids, summaries, the release
//! that fixes each) with the one smallest upgrade that clears them all. Advisories come from Django's security archive
//! (built in), the OSV PyPI database (`djguard db update`), `--advisories` folders or zips,
//! and with `--online` the OSV API; records of one vulnerability under several ids (PYSEC,
//! GHSA, CVE) are one advisory. The severity is the highest of the advisories' CVSS score bands when it has
//! one (GitHub's label otherwise, medium when neither exists). The fix names the smallest
//! upgrade in the same series that clears every advisory of the version. A Django that is
//! behind its newest patch release with no advisory applying is DJG303's.
//!
//! ## Why is this bad?
//! Published vulnerabilities come with write-ups and often exploits; scanners look for them
//! first.
//!
//! ## Example
//! ```text
//! Django==4.2.7
//! requests==2.31.0
//! ```
//!
//! ## Fix
//! Upgrade to the version the finding names. If an advisory does not apply to you (an
//! unused feature), say so in the file: `requests==2.31.0  # djguard: ignore[CVE-2024-35195]` (that advisory
//! leaves the list; the finding stays while others apply),
//! or list the id under `ignore-advisories` in the configuration.
//!
//! ## References
//! - OSV schema (ossf.github.io/osv-schema)
//! - Python Packaging Advisory Database (PyPA)

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG304",
    title: "Dependency version with a known vulnerability",
    severity: Severity::High,
    cwe: Some(1395),
    groups: &["deps", "dependencies"],
};
