//! # DJG015: Template autoescaping disabled
//!
//! ## What it does
//! Fires when a TEMPLATES backend sets `OPTIONS["autoescape"]` to a false value, which turns off
//! HTML escaping of every variable in every template of that engine.
//!
//! ## Why is this bad?
//! Autoescaping is what keeps `{{ comment.text }}` from becoming `<script>` in the page. Without it
//! every template variable that carries user input is a cross-site scripting hole, and reviewers
//! cannot see it in the templates themselves.
//!
//! ## Example
//! ```python
//! TEMPLATES = [{
//!     "BACKEND": "django.template.backends.django.DjangoTemplates",
//!     "OPTIONS": {"autoescape": False},
//! }]
//! ```
//!
//! ## Fix
//! Remove the option (the default is True). Mark the few values that are trusted HTML with
//! `mark_safe` or `|safe` in code you review, or use `{% autoescape off %}` for plain-text
//! templates such as e-mails.
//!
//! ## References
//! - Django documentation: Templates → DjangoTemplates OPTIONS autoescape
//! - OWASP Cross Site Scripting Prevention Cheat Sheet
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG015",
        title: "Template autoescaping disabled",
        severity: Severity::High,
        cwe: Some(79),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let templates = cx.get("TEMPLATES");
    let items = templates
        .value
        .iter_elements()
        .map_err(|u| Unknown::new(format!("TEMPLATES: {}", u.reason)))?;
    for t in &items {
        let Ok(Some(options)) = t.dict_get(&Value::Str("OPTIONS".into())) else {
            continue;
        };
        match options.dict_get(&Value::Str("autoescape".into())) {
            Ok(Some(v)) => {
                if !v
                    .truthy()
                    .map_err(|u| Unknown::new(format!("TEMPLATES autoescape: {}", u.reason)))?
                {
                    return Ok(vec![Hit::new(
                        "TEMPLATES",
                        "A TEMPLATES backend sets OPTIONS[\"autoescape\"] to False, so every template variable is inserted as raw HTML.".into(),
                        "Remove the autoescape option (default True); mark trusted HTML explicitly instead.",
                    )]);
                }
            }
            Ok(None) => {}
            Err(u) => return Err(Unknown::new(format!("TEMPLATES: {}", u.reason))),
        }
    }
    Ok(Vec::new())
}
