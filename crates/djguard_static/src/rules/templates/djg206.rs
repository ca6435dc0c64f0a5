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
//! Tags that print the token count as the token: `{% crispy form %}` (django-crispy-forms
//! prints `{% csrf_token %}` for POST helpers; when the project sets `disable_csrf` in some
//! helper, which helper the form uses is not traced, so the finding is low), django-mailman3's `bootstrap_form` and `bootstrap_form_horizontal`,
//! project inclusion tags (and simple tags that render a template) whose template prints the
//! token, Jinja2 macros whose body prints it
//! and calls handed `csrf_token` (`{{ macros.csrf_field(csrf_token) }}`). A form whose body
//! uses another tag with arguments that is neither Django's, nor a project simple tag, nor a
//! known field renderer (django-bootstrap3/4/5, widget-tweaks, floppyforms) may be rendered by
//! it with its token: medium confidence.
//! A form whose whole `action` is a variable (`action="{{ post_url }}"`) may post to another
//! site, so it is medium confidence at most. A form that only hands hidden values to a named
//! frame (`target="payment_frame"`, nothing a user fills in) is the relay of an embedded
//! third-party page (a payment provider's hosted form, a 3-D Secure challenge), usually
//! posting to the provider: low confidence. So is a form whose submission a script takes over
//! (htmx `hx-post`, a Stimulus controller with `data-action`, Alpine/Vue `submit.prevent`):
//! those send the token in a header the template does not show.
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
use crate::templates::library::Tag;
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
        let value = |name: &str| attr_value(tag, name);
        if !value("method").trim().eq_ignore_ascii_case("post") {
            continue;
        }
        let action = value("action").to_ascii_lowercase();
        let source = t.src.get(tag.start..tag.end).unwrap_or("");
        if custom_url_tag(source) || absolute_url(&action) {
            continue;
        }
        let variable_action = variable_action(&action, source);
        let Some(end) = form_end(t, tag) else {
            continue;
        };
        let loaded = loaded_libraries(t);
        let evidence = token_evidence(t, tag.start, end, &loaded);
        if evidence.has_token || evidence.opaque {
            continue;
        }
        let handoff = frame_handoff(t, &value("target"), tag.end, end)
            || script_submitted(tag)
            || evidence.crispy_doubt;
        out.push(Hit {
            at: tag.start..tag.end,
            message: "This POST form has no {% csrf_token %}: Django rejects it with 403, and the usual workaround, @csrf_exempt, opens the view to cross-site request forgery.".into(),
            fix: "Add {% csrf_token %} inside the form (Jinja2: {{ csrf_input }}).".into(),
            key: format!("form:{}", value("action")),
            confidence: if handoff {
                Confidence::Low
            } else if evidence.across || variable_action {
                Confidence::Medium
            } else {
                Confidence::High
            },
        });
    }
}

/// The value of a tag's attribute, empty when it is missing or bare.
fn attr_value(tag: &crate::templates::html::StartTag, name: &str) -> String {
    tag.attrs
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.value.clone())
        .unwrap_or_default()
}

/// Whether the form tag's text uses a custom tag (an action built by a custom URL tag): it may
/// point at another site (another domain of the same project, a payment provider), unknown, so
/// not reported.
fn custom_url_tag(source: &str) -> bool {
    source.split("{%").skip(1).any(|rest| {
        !matches!(
            lexer::tag_name(rest.trim_start()),
            "url" | "if" | "endif" | "csrf_token"
        )
    })
}

/// Whether a (lower-case) action is an absolute URL: the form posts to another site.
fn absolute_url(action: &str) -> bool {
    action.starts_with("http://") || action.starts_with("https://") || action.starts_with("//")
}

/// Whether the whole action URL comes from a variable: it may be another site's (a payment
/// gateway's), so where the form posts is not known and the finding is medium at most.
/// Attribute values show every template hole as `{{}}`, so the tag's own text tells a variable
/// from `{% url %}`.
fn variable_action(action: &str, source: &str) -> bool {
    action.trim_start().starts_with("{{")
        && source
            .to_ascii_lowercase()
            .split("action=")
            .nth(1)
            .is_some_and(|v| v.trim_start_matches(['"', '\'', ' ']).starts_with("{{"))
}

/// The offset of the form's `</form>` in the same template, if any.
fn form_end(t: &TemplateFile, tag: &crate::templates::html::StartTag) -> Option<usize> {
    t.html
        .end_tags
        .iter()
        .find(|e| e.name == "form" && e.start > tag.end)
        .map(|e| e.start)
}

/// What a form's body says about the CSRF token.
#[derive(Default)]
struct TokenEvidence {
    /// The body prints the token (itself, through a macro, include, block or tag).
    has_token: bool,
    /// The body depends on something not in the project: not reported.
    opaque: bool,
    /// The token may come from another template: an include, or a block that templates
    /// extending this one fill. Reasoning across templates makes the finding medium.
    across: bool,
    /// `{% crispy %}` with a project that disables the token in some helper.
    crispy_doubt: bool,
}

/// Reads the tokens of a form's body (from its start tag to its `</form>`) for the CSRF token.
fn token_evidence(t: &TemplateFile, start: usize, end: usize, loaded: &[String]) -> TokenEvidence {
    let mut ev = TokenEvidence::default();
    for tok in t.tokens.iter().filter(|k| k.start >= start && k.end <= end) {
        if set::is_token(t.src, tok) {
            ev.has_token = true;
            continue;
        }
        if let Some(m) = set::macro_call(t.src, tok)
            && t.set.macro_has_token(&m)
        {
            ev.has_token = true;
            continue;
        }
        if let Some(inc) = set::include_of(t.src, tok) {
            ev.record(t.set.include_has_token(&inc));
            continue;
        }
        if !matches!(tok.kind, TokenKind::Block) {
            continue;
        }
        block_tag_evidence(t, t.inner(tok), loaded, &mut ev);
    }
    ev
}

impl TokenEvidence {
    /// Records another template's answer: it prints the token, it does not (reasoning across
    /// templates), or it is not known (opaque).
    fn record(&mut self, answer: Option<bool>) {
        match answer {
            Some(true) => self.has_token = true,
            Some(false) => self.across = true,
            None => self.opaque = true,
        }
    }
}

/// Reads one `{% ... %}` tag of a form's body (its inner text) for the CSRF token.
fn block_tag_evidence(t: &TemplateFile, inner: &str, loaded: &[String], ev: &mut TokenEvidence) {
    match lexer::tag_name(inner) {
        "block" => {
            let block = lexer::tag_args(inner)
                .into_iter()
                .next()
                .unwrap_or_default();
            ev.record(
                t.name
                    .and_then(|n| t.set.block_filled_with_token(n, &block)),
            );
        }
        "extends" => ev.opaque = true,
        // `{% crispy form %}` prints the token unless that form's helper sets
        // `disable_csrf`; some helper of the project does, which one this form uses
        // is not traced.
        "crispy"
            if t.library.crispy_csrf_disabled
                && loaded.iter().any(|l| l == "crispy_forms_tags") =>
        {
            ev.crispy_doubt = true;
        }
        name => match tag_prints_token(t, name, inner, loaded) {
            Some(true) => ev.has_token = true,
            // A tag whose output is not known renders the form: medium at most.
            None => ev.across = true,
            Some(false) => {}
        },
    }
}

/// A form that hands a few hidden values to a named frame (`target="gateway_frame"`) and
/// holds nothing a user fills in: the relay pattern of embedded third-party pages (a payment
/// provider's hosted form, a 3-D Secure challenge), whose action script sets or which posts
/// to the provider. Where it posts is not known, so the finding is low confidence.
fn frame_handoff(t: &TemplateFile, target: &str, body_start: usize, body_end: usize) -> bool {
    let target = target.trim();
    if target.is_empty() || target.starts_with('_') || target.contains("{{") {
        return false;
    }
    let tags: Vec<_> = t
        .html
        .start_tags
        .iter()
        .filter(|s| s.start >= body_start && s.end <= body_end)
        .collect();
    let hidden_input = |s: &&crate::templates::html::StartTag| {
        s.name == "input"
            && s.attrs.iter().any(|a| {
                a.name == "type"
                    && a.value
                        .as_deref()
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("hidden"))
            })
    };
    if tags.is_empty() || !tags.iter().all(hidden_input) {
        return false;
    }
    // Template output outside the inputs' own attributes may render fields.
    t.tokens
        .iter()
        .filter(|k| k.start >= body_start && k.end <= body_end)
        .all(|k| match k.kind {
            TokenKind::Var => tags.iter().any(|s| k.start >= s.start && k.end <= s.end),
            TokenKind::Block => matches!(
                lexer::tag_name(t.inner(k)),
                "if" | "elif" | "else" | "endif" | "trans" | "translate"
            ),
            TokenKind::Text | TokenKind::Comment => true,
        })
}

/// A form whose submission a script takes over: htmx (`hx-post`, `data-hx-post`...), a
/// Stimulus controller with actions (`data-controller` and `data-action`), Alpine's or Vue's
/// `submit.prevent`. Such libraries send the request themselves, usually with the token in a
/// header set once for the page (`hx-headers`, the CSRF header of a fetch wrapper): whether
/// this one does is not seen in the template, so low confidence.
fn script_submitted(tag: &crate::templates::html::StartTag) -> bool {
    let has = |name: &str| tag.attrs.iter().any(|a| a.name == name);
    tag.attrs.iter().any(|a| {
        let n = a.name.as_str();
        n.starts_with("hx-")
            || n.starts_with("data-hx-")
            || ((n.starts_with("x-on:submit")
                || n.starts_with("@submit")
                || n.starts_with("v-on:submit"))
                && n.contains(".prevent"))
    }) || (has("data-controller") && has("data-action"))
}

/// Tags of Django and Jinja2 that print no token, and end tags.
const BUILTIN_TAGS: &[&str] = &[
    "autoescape",
    "block",
    "comment",
    "csrf_token",
    "cycle",
    "debug",
    "elif",
    "else",
    "empty",
    "extends",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "include",
    "load",
    "lorem",
    "now",
    "plural",
    "querystring",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "url",
    "verbatim",
    "widthratio",
    "with",
    "static",
    "get_static_prefix",
    "get_media_prefix",
    "trans",
    "translate",
    "blocktrans",
    "blocktranslate",
    "get_current_language",
    "get_available_languages",
    "get_language_info",
    "get_language_info_list",
    "language",
    "get_current_language_bidi",
    "localize",
    "localtime",
    "timezone",
    "get_current_timezone",
    "cache",
    "set",
    "macro",
    "call",
    "raw",
    "do",
    "pluralize",
    "from",
    "import",
    "break",
    "continue",
    "elseif",
    "ifequal",
    "ifnotequal",
];

/// Form-rendering tags of libraries that print `{% csrf_token %}` themselves: (the library
/// `{% load %}` names, the tag).
const TOKEN_TAGS: &[(&str, &str)] = &[
    // django-crispy-forms: `{% crispy form %}` renders `whole_uni_form.html`, which prints
    // `{% csrf_token %}` when the helper's form_method is post and disable_csrf is not set.
    ("crispy_forms_tags", "crispy"),
    // django-mailman3 `bootstrap_tags`: inclusion tags whose templates
    // (`django_mailman3/bootstrap/form.html`, `form-horizontal.html`) print `{% csrf_token %}`.
    ("bootstrap_tags", "bootstrap_form"),
    ("bootstrap_tags", "bootstrap_form_horizontal"),
];

/// Form-rendering tags known to print fields only, never the token: django-bootstrap3/4/5
/// (`bootstrap_form`, `bootstrap_field`...; their docs put `{% csrf_token %}` next to them),
/// django-widget-tweaks (`render_field`), django-floppyforms (`form`, `formfield`),
/// crispy-forms' field tags.
const FIELD_TAGS: &[&str] = &[
    "bootstrap_form",
    "bootstrap_field",
    "bootstrap_formset",
    "bootstrap_form_errors",
    "bootstrap_formset_errors",
    "bootstrap_button",
    "bootstrap_label",
    "bootstrap_messages",
    "bootstrap_icon",
    "buttons",
    "render_field",
    "form",
    "formfield",
    "formrow",
    "formconfig",
    "crispy_field",
    "as_crispy_field",
];

/// The tag libraries the template loads (`{% load a b %}`, `{% load x from a %}`).
fn loaded_libraries(t: &TemplateFile) -> Vec<String> {
    let mut out = Vec::new();
    for (_, tok) in t.tags() {
        let inner = t.inner(tok);
        if lexer::tag_name(inner) != "load" {
            continue;
        }
        let args = lexer::tag_args(inner);
        match args.iter().position(|a| a == "from") {
            Some(i) => out.extend(args.get(i + 1).cloned()),
            None => out.extend(args),
        }
    }
    out
}

/// Whether the tag `name` prints a CSRF token: Some(true) for a library or project tag known
/// to, Some(false) for tags known not to (Django's own, field renderers, project simple
/// tags, tags without arguments), None when what it renders is not known.
fn tag_prints_token(t: &TemplateFile, name: &str, inner: &str, loaded: &[String]) -> Option<bool> {
    if BUILTIN_TAGS.contains(&name) || name.starts_with("end") || name.is_empty() {
        return Some(false);
    }
    if let Some(tag) = t.library.tags.get(name) {
        return match tag {
            Tag::Inclusion(template) => t.set.template_has_token(template),
            Tag::Simple => Some(false),
            Tag::Other => None,
        };
    }
    if let Some((lib, _)) = TOKEN_TAGS
        .iter()
        .find(|(lib, tag)| *tag == name && loaded.iter().any(|l| l == lib))
    {
        if *lib == "crispy_forms_tags" && t.library.crispy_csrf_disabled {
            return None;
        }
        return Some(true);
    }
    if FIELD_TAGS.contains(&name) || lexer::tag_args(inner).is_empty() {
        return Some(false);
    }
    None
}
