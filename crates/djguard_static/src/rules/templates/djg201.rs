//! # DJG201: Auto-escaping switched off in a template
//!
//! ## What it does
//! Finds the places where a template prints a variable without escaping it: the `safe` and
//! `safeseq` filters (Django and Jinja2) and `{% autoescape off %}` / Jinja2's
//! `{% autoescape false %}` blocks. When a view renders the template with `render()`,
//! `render_to_string()` or `TemplateResponse()` and a literal context dict, djguard knows what
//! the variable holds: request data makes the finding high confidence, a constant silences it.
//! Otherwise the origin is unknown and the finding is low confidence (listed with
//! `--min-confidence low`); a literal string marked safe is not reported.
//!
//! ## Why is this bad?
//! Auto-escaping is what keeps `<script>` in a comment, a user name or a search term from
//! running in the browser. A variable marked safe is printed as HTML: if any part of it comes
//! from a user, that user can run script in every visitor's session.
//!
//! ## Example
//! ```html
//! <p>Results for {{ query|safe }}</p>
//! {% autoescape off %}{{ comment.body }}{% endautoescape %}
//! ```
//!
//! ## Fix
//! Drop `|safe` and let the template escape the value. For HTML you build in Python, build it
//! with `format_html()` (which escapes the parts) and mark only that result safe; for rich text
//! from users, sanitise it with an allow-list sanitiser (nh3, bleach) before marking it safe.
//!
//! ## References
//! - Django documentation: Built-in template tags and filters → safe, autoescape
//! - OWASP Cross Site Scripting Prevention Cheat Sheet
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use super::{Hit, Origin, TemplateFile, TemplateRule, shown};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::lexer;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG201",
        title: "Auto-escaping switched off in a template",
        severity: Severity::High,
        cwe: Some(79),
        groups: &["templates"],
    },
    check,
    html: true,
};

const FIX: &str = "Remove |safe and let the template escape the value; build HTML in Python with format_html(), or sanitise user HTML with an allow-list sanitiser before marking it safe.";

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for (_, tok) in t.vars() {
        let var = lexer::parse_var(t.inner(tok));
        let literal = var.base.starts_with('"') || var.base.starts_with('\'');
        if literal {
            continue;
        }
        if let Some(f) = var
            .filters
            .iter()
            .find(|f| f.name == "safe" || f.name == "safeseq")
        {
            let (message, confidence) = match t.origin(&var.base) {
                Origin::Constant | Origin::Escaped => continue,
                Origin::Request(src) => (
                    format!(
                        "{} prints `{}` without escaping (|{}), and the view fills it from {src}: script in the request runs in the page.",
                        shown(t.text(tok)),
                        var.base,
                        f.name
                    ),
                    Confidence::High,
                ),
                Origin::Unknown => (
                    format!(
                        "{} prints `{}` without escaping (|{}); if any of it comes from a user, it can inject script.",
                        shown(t.text(tok)),
                        var.base,
                        f.name
                    ),
                    Confidence::Low,
                ),
            };
            out.push(Hit {
                at: tok.start..tok.end,
                message,
                fix: FIX.into(),
                key: format!("safe:{}", var.base),
                confidence,
            });
        }
    }
    for (_, tok) in t.tags() {
        let inner = t.inner(tok);
        if lexer::tag_name(inner) == "autoescape"
            && lexer::tag_args(inner)
                .first()
                .is_some_and(|a| a.eq_ignore_ascii_case("off") || a.eq_ignore_ascii_case("false"))
        {
            out.push(Hit {
                at: tok.start..tok.end,
                message: format!(
                    "{} switches escaping off for the whole block; every variable in it is printed as HTML.",
                    shown(t.text(tok))
                ),
                fix: FIX.into(),
                key: "autoescape-off".into(),
                confidence: Confidence::Low,
            });
        }
    }
}
