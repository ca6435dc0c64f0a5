//! # DJG205: Template variable inside an event-handler attribute
//!
//! ## What it does
//! Finds `{{ variable }}` inside an `on*` attribute (`onclick`, `onload`, `onerror`...),
//! unless it goes through `escapejs` or cannot hold a quote: identifiers, counts, booleans
//! and dates (`obj.pk`, `|length`), reversed URLs with constant arguments, `csrf_token` and
//! Django's settings constants, and literals or translations the template sets
//! (`{% trans "Delete?" as msg %}`).
//!
//! Linked to the views (see DJG201): a variable a view fills from the request is high
//! confidence, one every view gives as a constant is not reported, and one whose value
//! djguard cannot trace to the request is low confidence (listed with `--min-confidence
//! low`): on the precision corpus, such variables were a real problem 13 % of the time (7
//! of 54, after the exemptions above), so they are a review list, not a finding.
//!
//! ## Why is this bad?
//! The browser HTML-decodes the attribute before running it as JavaScript, so Django's HTML
//! escaping is undone: `&#x27;);alert(1);//` becomes `');alert(1);//` inside the handler.
//!
//! ## Example
//! ```html
//! <button onclick="select('{{ item.name }}')">Select</button>
//! ```
//!
//! ## Fix
//! Put the value in a `data-` attribute (`data-name="{{ item.name }}"`) and read it from a
//! script (`event.target.dataset.name`); do not build handler code in templates.
//!
//! ## References
//! - OWASP Cross Site Scripting Prevention Cheat Sheet → event handlers
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use super::values::Kind;
use super::{Hit, TemplateFile, TemplateRule, shown};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::html::Context;
use crate::templates::lexer;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG205",
        title: "Template variable inside an event-handler attribute",
        severity: Severity::Medium,
        cwe: Some(79),
        groups: &["templates"],
    },
    check,
    html: true,
};

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for (tok, ctx) in t.var_contexts() {
        let Context::AttrValue { attr, .. } = ctx else {
            continue;
        };
        if !attr.starts_with("on") {
            continue;
        }
        let var = lexer::parse_var(t.inner(tok));
        if var.filters.iter().any(|f| f.name == "escapejs")
            || matches!(t.value_kind(tok, &var), Kind::Constant | Kind::Inert)
        {
            continue;
        }
        let Some((confidence, from)) = t.linked(&var.base, Confidence::Low) else {
            continue;
        };
        out.push(Hit {
            at: tok.start..tok.end,
            message: format!(
                "{} is inside the `{attr}` handler, where the browser decodes Django's HTML escaping before running the code.{from}",
                shown(t.text(tok))
            ),
            fix: "Put the value in a data- attribute and read it from a script (element.dataset); do not build handler code in templates.".into(),
            key: format!("handler:{attr}:{}", var.base),
            confidence,
        });
    }
}
