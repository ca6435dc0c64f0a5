//! # DJG011: Request size limits disabled
//!
//! ## What it does
//! Fires for each of DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS and
//! DATA_UPLOAD_MAX_NUMBER_FILES that is set to None, which removes Django's limit.
//!
//! ## Why is this bad?
//! These limits stop a single request from making Django read an arbitrarily large body into memory
//! or parse millions of form fields or files. Without them one client can exhaust a worker's memory
//! or CPU; several Django security releases fixed exactly such denials of service.
//!
//! ## Example
//! ```python
//! DATA_UPLOAD_MAX_MEMORY_SIZE = None
//! ```
//!
//! ## Fix
//! Remove the override (defaults: 2.5 MB, 1000 fields, 100 files) or raise it to a number that fits
//! the largest legitimate request. Large uploads go through FILE_UPLOAD_* handlers, which stream to
//! disk and are not affected by DATA_UPLOAD_MAX_MEMORY_SIZE.
//!
//! ## References
//! - Django documentation: Settings → DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_NUMBER_FILES
//! - CWE-770: Allocation of Resources Without Limits or Throttling

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG011",
        title: "Request size limits disabled",
        severity: Severity::Medium,
        cwe: Some(770),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let mut hits = Vec::new();
    for name in [
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "DATA_UPLOAD_MAX_NUMBER_FIELDS",
        "DATA_UPLOAD_MAX_NUMBER_FILES",
    ] {
        let s = cx.get(name);
        if s.origin.is_some()
            && s.value
                .is_none()
                .map_err(|u| Unknown::new(format!("{name}: {}", u.reason)))?
        {
            let mut hit = Hit::new(
                name,
                format!(
                    "{name} is None, so Django puts no limit on it and one request can exhaust a worker."
                ),
                format!(
                    "Remove the {name} override, or set a number that fits the largest legitimate request."
                ),
            );
            hit.key = name.to_string();
            hits.push(hit);
        }
    }
    Ok(hits)
}
