//! # DJG206: POST form without `{% csrf_token %}`
//!
//! ## What it does
//! Finds `<form method="post">` (any case, any quoting) whose body, up to its `</form>` in the
//! same template, holds no `{% csrf_token %}` (Jinja2: `{{ csrf_input }}` or a hidden input
//! with `{{ csrf_token }}`). The form may span templates: an `{% include %}` inside it counts
//! when the included project template (or one it includes) prints the token, and a
//! `{% block %}` inside it counts when a project template extending this one fills the block
//! with the token. When the only evidence is another template's, the finding is medium
//! confidence. Forms posting to another site (`action="https://..."`) are left alone, as are
//! forms whose body includes a template that is not in the project (or named by a variable),
//! blocks no project template fills, and forms that do not end in the same template.
//!
//! ## Why is this bad?
//! With `CsrfViewMiddleware` on, the form fails with 403 for every user; the usual "fix" is
//! `@csrf_exempt` on the view, which opens it to cross-site request forgery.
//!
//! ## Example
//! ```html
//! <form method="post" action="{% url 'profile' %}">
//!   {{ form.as_p }}
//!   <button>Save</button>
//! </form>
//! ```
//!
//! ## Fix
//! Add `{% csrf_token %}` inside the form (Jinja2: `{{ csrf_input }}`), and remove any
//! `@csrf_exempt` added to work around the 403.
//!
//! ## References
//! - Django documentation: How to use Django's CSRF protection
//! - CWE-352: Cross-Site Request Forgery

use super::{Hit, TemplateFile, TemplateRule};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::lexer::{self, TokenKind};
use crate::templates::set;

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG206",
        title: "POST form without {% csrf_token %}",
        severity: Severity::High,
        cwe: Some(352),
        groups: &["templates"],
    },
    check,
    html: true,
};

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for tag in t.html.start_tags.iter().filter(|s| s.name == "form") {
        let value = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| a.name == name)
                .and_then(|a| a.value.clone())
                .unwrap_or_default()
        };
        if !value("method").trim().eq_ignore_ascii_case("post") {
            continue;
        }
        let action = value("action").to_ascii_lowercase();
        // An action built by a custom URL tag may point at another site (another domain of
        // the same project, a payment provider): unknown, so not reported.
        let source = t.src.get(tag.start..tag.end).unwrap_or("");
        let custom_url_tag = source.split("{%").skip(1).any(|rest| {
            !matches!(
                lexer::tag_name(rest.trim_start()),
                "url" | "if" | "endif" | "csrf_token"
            )
        });
        if custom_url_tag {
            continue;
        }
        if action.starts_with("http://")
            || action.starts_with("https://")
            || action.starts_with("//")
        {
            continue;
        }
        let Some(end) = t
            .html
            .end_tags
            .iter()
            .find(|e| e.name == "form" && e.start > tag.end)
            .map(|e| e.start)
        else {
            continue;
        };
        let mut has_token = false;
        let mut opaque = false;
        // The token may come from another template: an include, or a block that templates
        // extending this one fill. Reasoning across templates makes the finding medium.
        let mut across = false;
        for tok in t
            .tokens
            .iter()
            .filter(|k| k.start >= tag.start && k.end <= end)
        {
            if set::is_token(t.src, tok) {
                has_token = true;
                continue;
            }
            if let Some(inc) = set::include_of(t.src, tok) {
                match t.set.include_has_token(&inc) {
                    Some(true) => has_token = true,
                    Some(false) => across = true,
                    None => opaque = true,
                }
                continue;
            }
            if !matches!(tok.kind, TokenKind::Block) {
                continue;
            }
            let inner = t.inner(tok);
            match lexer::tag_name(inner) {
                "block" => {
                    let block = lexer::tag_args(inner)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    match t
                        .name
                        .and_then(|n| t.set.block_filled_with_token(n, &block))
                    {
                        Some(true) => has_token = true,
                        Some(false) => across = true,
                        None => opaque = true,
                    }
                }
                "extends" => opaque = true,
                _ => {}
            }
        }
        if has_token || opaque {
            continue;
        }
        out.push(Hit {
            start: tag.start,
            end: tag.end,
            message: "This POST form has no {% csrf_token %}: Django rejects it with 403, and the usual workaround, @csrf_exempt, opens the view to cross-site request forgery.".into(),
            fix: "Add {% csrf_token %} inside the form (Jinja2: {{ csrf_input }}).".into(),
            key: format!("form:{}", value("action")),
            confidence: if across {
                Confidence::Medium
            } else {
                Confidence::High
            },
        });
    }
}
