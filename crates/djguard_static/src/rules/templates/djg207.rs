//! # DJG207: `{% debug %}` in a template
//!
//! ## What it does
//! Finds the `{% debug %}` tag.
//!
//! ## Why is this bad?
//! It prints the whole template context and the loaded modules into the page: objects,
//! settings-derived values, user data of the request. Left in a template that reaches
//! production, it hands that to every visitor.
//!
//! ## Example
//! ```html
//! <pre>{% debug %}</pre>
//! ```
//!
//! ## Fix
//! Remove it; use django-debug-toolbar in development instead.
//!
//! ## References
//! - Django documentation: Built-in template tags → debug
//! - CWE-215: Insertion of Sensitive Information Into Debugging Code

use super::{Hit, TemplateFile, TemplateRule};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::lexer;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG207",
        title: "{% debug %} in a template",
        severity: Severity::Medium,
        cwe: Some(215),
        groups: &["templates"],
    },
    check,
    html: false,
};

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for (_, tok) in t.tags() {
        if lexer::tag_name(t.inner(tok)) == "debug" {
            out.push(Hit {
                at: tok.start..tok.end,
                message: "{% debug %} prints the whole template context and the loaded modules into the page.".into(),
                fix: "Remove the tag; use django-debug-toolbar in development.".into(),
                key: "debug".into(),
                confidence: Confidence::High,
            });
        }
    }
}
