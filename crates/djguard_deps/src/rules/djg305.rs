//! # DJG305: Unpinned requirement allows vulnerable versions
//!
//! ## What it does
//! Fires when a requirement gives a range rather than an exact version (`Django>=3.2`,
//! `requests`, Poetry's `^2.31`) and no lock or requirements file of the project pins the
//! package, and some version the range allows has known advisories. It lists them and
//! suggests the lowest bound clear of all. djguard never guesses which version would be
//! installed: it reports the range as a range.
//!
//! ## Why is this bad?
//! Without a pin, what gets deployed depends on the day and on the resolver; a rebuild can
//! silently install an old, vulnerable release, and nobody can audit what is running.
//!
//! ## Example
//! ```text
//! Django>=3.2
//! ```
//!
//! ## Fix
//! Lock the dependencies (uv, Poetry, PDM, pipenv, pip-compile or `pip lock`) and commit the
//! lock, and raise the lower bound past the advisories.
//!
//! ## References
//! - pip documentation: "Repeatable installs"
//! - PEP 751: a file format to record Python dependencies for installation reproducibility

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG305",
    title: "Unpinned requirement allows vulnerable versions",
    severity: Severity::Medium,
    cwe: Some(1104),
    groups: &["deps", "dependencies"],
};
