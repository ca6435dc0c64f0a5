//! # DJG208: Link to a variable URL with `target="_blank"` and no `rel="noopener"`
//!
//! ## What it does
//! Finds `<a target="_blank">` whose `href` starts with a template variable and whose `rel` has
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
use crate::templates::html::Context;
use crate::templates::lexer;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG208",
        title: "Link to a variable URL with target=\"_blank\" and no rel=\"noopener\"",
        severity: Severity::Low,
        cwe: Some(1022),
        groups: &["templates"],
    },
    check,
    html: true,
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
        // A variable that starts the URL (`href="{% url ... %}?q={{ x }}"` stays on this
        // site) and is not known to be a constant or a path on this site.
        let variable = t.var_contexts().any(|(tok, ctx)| {
            tok.start >= tag.start
                && tok.end <= tag.end
                && matches!(ctx, Context::AttrValue { attr, at_start: true, .. } if attr == "href")
                && t.linked_url(&lexer::parse_var(t.inner(tok)).base, Confidence::Low)
                    .is_some()
        });
        let rel = value("rel").unwrap_or_default().to_ascii_lowercase();
        if blank && variable && !rel.contains("noopener") && !rel.contains("noreferrer") {
            out.push(Hit {
                at: tag.start..tag.end,
                message: "This link opens a variable URL in a new tab without rel=\"noopener\", so the opened page can redirect this tab (reverse tabnabbing) in older browsers.".into(),
                fix: "Add rel=\"noopener noreferrer\".".into(),
                key: format!("blank:{}", value("href").unwrap_or_default()),
                confidence: Confidence::Low,
            });
        }
    }
}
