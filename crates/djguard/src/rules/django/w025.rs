//! # security.W025: Weak key in SECRET_KEY_FALLBACKS
//!
//! ## What it does
//! Fires once for each entry of SECRET_KEY_FALLBACKS that fails Django's secret-key rule (50+ characters, 5+ distinct, no `django-insecure-` prefix).
//!
//! ## Why is this bad?
//! TODO(doc)
//!
//! ## Example
//! ```python
//! SECRET_KEY_FALLBACKS = ["old-dev-key"]
//! ```
//!
//! ## Fix
//! Remove weak keys from SECRET_KEY_FALLBACKS.
//!
//! ## References
//! - Django: system check framework, `security` checks (docs/ref/checks.txt)

use super::*;
use crate::finding::Severity;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "security.W025",
        title: "Weak key in SECRET_KEY_FALLBACKS",
        severity: Severity::High,
        cwe: Some(330),
        groups: &["django", "settings"],
    },
    deploy_only: true,
    since: (4, 1),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let fallbacks = cx.get("SECRET_KEY_FALLBACKS");
    let keys = fallbacks
        .value
        .iter_elements()
        .map_err(|u| Unknown::new(format!("SECRET_KEY_FALLBACKS: {}", u.reason)))?;
    let mut hits = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        if !cx.key_is_strong(key, &format!("SECRET_KEY_FALLBACKS[{i}]"))? {
            let mut hit = Hit::new(
                "SECRET_KEY_FALLBACKS",
                format!(
                    "SECRET_KEY_FALLBACKS[{i}] is weak (under 50 characters, under 5 distinct characters, or prefixed 'django-insecure-'), and Django still accepts signatures made with it."
                ),
                "Remove old keys from SECRET_KEY_FALLBACKS once sessions signed with them have expired; never put a weak key there.",
            );
            hit.key = format!("SECRET_KEY_FALLBACKS[{i}]");
            hits.push(hit);
        }
    }
    Ok(hits)
}
