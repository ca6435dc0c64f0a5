//! # DJG204: Template variable as a whole URL attribute (javascript: URLs)
//!
//! ## What it does
//! Finds `{{ variable }}` that makes up the start of an `href`, `src`, `action`,
//! `formaction`, `poster`, `data` or `xlink:href` value: `<a href="{{ profile.website }}">`.
//! When a view fills the variable from the request the finding is high confidence; when
//! every view gives a constant it is not reported; otherwise the origin is unknown and the
//! finding is low confidence (listed with `--min-confidence low`). `{% url %}` and values
//! after a fixed prefix (`href="/u/{{ id }}"`) are not reported.
//!
//! ## Why is this bad?
//! Escaping does not change `javascript:alert(document.cookie)`: a user-supplied URL printed
//! as a link runs script when clicked (and `data:` URLs can do the same in some contexts).
//!
//! ## Example
//! ```html
//! <a href="{{ user.website }}">website</a>
//! ```
//!
//! ## Fix
//! Validate URLs when they are stored (`URLField`/`URLValidator` allows only http, https, ftp
//! and ftps) or before printing them, or build links from a fixed prefix and an identifier.
//!
//! ## References
//! - Django documentation: Validators → URLValidator
//! - OWASP Cross Site Scripting Prevention Cheat Sheet → URL contexts
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use super::{Hit, TemplateFile, TemplateRule, shown};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::html::Context;
use crate::templates::lexer;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG204",
        title: "Template variable as a whole URL attribute (javascript: URLs)",
        severity: Severity::Medium,
        cwe: Some(79),
        groups: &["templates"],
    },
    check,
    html: true,
};

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
];

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for (tok, ctx) in t.var_contexts() {
        let Context::AttrValue {
            attr,
            at_start: true,
            ..
        } = ctx
        else {
            continue;
        };
        if !URL_ATTRS.contains(&attr.as_str()) {
            continue;
        }
        let var = lexer::parse_var(t.inner(tok));
        if var.base.starts_with('"') || var.base.starts_with('\'') {
            continue;
        }
        let Some((confidence, from)) = t.linked_url(&var.base, Confidence::Low) else {
            continue;
        };
        out.push(Hit {
            at: tok.start..tok.end,
            message: format!(
                "{} is the whole `{attr}` URL; if a user can set it, `javascript:` URLs run script despite escaping.{from}",
                shown(t.text(tok))
            ),
            fix: "Validate the URL's scheme (URLField/URLValidator) before storing or printing it, or build the link from a fixed prefix.".into(),
            key: format!("url:{attr}:{}", var.base),
            confidence,
        });
    }
}
