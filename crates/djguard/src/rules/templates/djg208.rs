//! # DJG208: Link to a variable URL with `target="_blank"` and no `rel="noopener"`
//!
//! ## What it does
//! Finds `<a target="_blank">` whose `href` contains a template variable and whose `rel` has
//! neither `noopener` nor `noreferrer`. Low confidence (listed with `--min-confidence low`):
//! current browsers imply `noopener` for `target="_blank"`, so this matters for older ones.
//!
//! ## Why is this bad?
//! Without `noopener`, the opened page gets `window.opener` and can navigate your tab to a
//! look-alike login page (reverse tabnabbing) while the user reads the new tab.
//!
//! ## Example
//! ```html
//! <a href="{{ post.link }}" target="_blank">{{ post.title }}</a>
//! ```
//!
//! ## Fix
//! Add `rel="noopener noreferrer"` to links that open user-supplied URLs in a new tab.
//!
//! ## References
//! - OWASP: Reverse Tabnabbing
//! - CWE-1022: Use of Web Link to Untrusted Target with window.opener Access

use super::{Hit, TemplateFile, TemplateRule};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG208",
        title: "Link to a variable URL with target=\"_blank\" and no rel=\"noopener\"",
        severity: Severity::Low,
        cwe: Some(1022),
        groups: &["templates"],
    },
    check,
};

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for tag in t.html.start_tags.iter().filter(|s| s.name == "a") {
        let value = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| a.name == name)
                .and_then(|a| a.value.clone())
        };
        let blank = value("target").is_some_and(|v| v.trim().eq_ignore_ascii_case("_blank"));
        let variable = value("href").is_some_and(|v| v.contains("{{}}"));
        let rel = value("rel").unwrap_or_default().to_ascii_lowercase();
        if blank && variable && !rel.contains("noopener") && !rel.contains("noreferrer") {
            out.push(Hit {
                start: tag.start,
                end: tag.end,
                message: "This link opens a variable URL in a new tab without rel=\"noopener\", so the opened page can redirect this tab (reverse tabnabbing) in older browsers.".into(),
                fix: "Add rel=\"noopener noreferrer\".".into(),
                key: format!("blank:{}", value("href").unwrap_or_default()),
                confidence: Confidence::Low,
            });
        }
    }
}
