//! # DJG203: Template variable in an unquoted attribute
//!
//! ## What it does
//! Finds `{{ variable }}` used as an HTML attribute value without quotes:
//! `<input value={{ name }}>`. Values that cannot hold a space are left alone: identifiers,
//! counts, booleans and dates (`obj.pk`, `|length`), reversed URLs (`{% url ... as u %}`,
//! Jinja `url(...)`, `get_absolute_url`), `csrf_token` and Django's settings constants, and
//! literals or translations the template sets.
//!
//! Linked to the views (see DJG201): a variable a view fills from the request is high
//! confidence, one every view gives as a constant is not reported, and one whose value
//! djguard cannot trace to the request is low confidence (listed with `--min-confidence
//! low`): on the precision corpus, such variables were a real problem 13 % of the time (7
//! of 54, after the exemptions above), so they are a review list, not a finding.
//!
//! ## Why is this bad?
//! Django's escaping turns `<`, `>`, `&` and quotes into entities, but not spaces. In an
//! unquoted attribute a space ends the value, so `x onmouseover=alert(1)` adds an event
//! handler to the element even though the value was escaped.
//!
//! ## Example
//! ```html
//! <input name="q" value={{ query }}>
//! ```
//!
//! ## Fix
//! Always quote attribute values: `value="{{ query }}"`.
//!
//! ## References
//! - OWASP Cross Site Scripting Prevention Cheat Sheet → Rule #2 (attribute encoding)
//! - CWE-83: Improper Neutralization of Script in Attributes in a Web Page

use super::values::Kind;
use super::{Hit, TemplateFile, TemplateRule, shown};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::html::Context;
use crate::templates::lexer;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG203",
        title: "Template variable in an unquoted attribute",
        severity: Severity::Medium,
        cwe: Some(83),
        groups: &["templates"],
    },
    check,
    html: true,
};

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for (tok, ctx) in t.var_contexts() {
        let Context::AttrValue {
            attr, quote: None, ..
        } = ctx
        else {
            continue;
        };
        let var = lexer::parse_var(t.inner(tok));
        // Values without spaces: numbers, tokens, reversed URLs, constants.
        if matches!(
            t.value_kind(tok, &var),
            Kind::Constant | Kind::Inert | Kind::NoSpace
        ) {
            continue;
        }
        let Some((confidence, from)) = t.linked(&var.base, Confidence::Low) else {
            continue;
        };
        out.push(Hit {
            at: tok.start..tok.end,
            message: format!(
                "{} is the unquoted value of `{attr}`: a space in it ends the value and can add attributes such as event handlers.{from}",
                shown(t.text(tok))
            ),
            fix: format!("Quote the attribute: {attr}=\"{}\".", shown(t.text(tok))),
            key: format!("unquoted:{attr}:{}", var.base),
            confidence,
        });
    }
}
