//! # DJG302: Django series in security-only support
//!
//! ## What it does
//! Reports (as information) that the pinned Django series has left mainstream support and
//! receives only security and data-loss fixes until the date shown.
//!
//! ## Why is this bad?
//! It is not, yet: the series is still patched. But the end date is fixed in advance, and an
//! upgrade across feature releases takes planning; this is the reminder.
//!
//! ## Example
//! ```text
//! Django==6.0.10    # mainstream support ended 2026-08-31, security fixes until 2027-04-30
//! ```
//!
//! ## Fix
//! Plan the upgrade to the next feature release or the current LTS before the end date.
//!
//! ## References
//! - Django's download page, "Supported versions"

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG302",
    title: "Django series in security-only support",
    severity: Severity::Info,
    cwe: None,
    groups: &["deps", "dependencies"],
};
