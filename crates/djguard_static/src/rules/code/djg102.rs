//! # DJG102: Request data marked safe or returned as HTML (cross-site scripting)
//!
//! ## What it does
//! Follows request data into the calls that switch Django's auto-escaping off:
//! `mark_safe()`, `SafeString()`, `format_html()` given an already formatted string, and
//! `markupsafe.Markup()`, and into `HttpResponse(...)` bodies served as HTML. A proven flow is
//! high confidence. `mark_safe`/`SafeString`/`Markup` of a non-constant value that is not the
//! output of an escaper (`escape`, `format_html`, `render_to_string`...), and `format_html` of
//! a pre-formatted string, are reported with low confidence. The arguments of custom template
//! filters and simple tags (`@register.filter`, `@register.simple_tag`) can hold user data
//! from the template context: marking them safe unescaped is medium confidence, but only for
//! an argument some template of the project passes a variable for (an argument every
//! template gives as a literal, or a filter no template uses, is not template data; a
//! variable an inclusion tag's template passes on is template data only where the inclusion
//! tag's own argument for it is; Python callers of a filter are followed with their own
//! arguments). A `needs_autoescape` filter's
//! `if autoescape:` branch is taken as the one that runs.
//!
//! Values a check accepted are clean on the branch where it holds: membership in a
//! collection the client does not control (`if lang in settings.LANGUAGES:`, or
//! `if x not in ALLOWED: x = DEFAULT`), equality with a constant, `isinstance(x, SafeData)`,
//! and project functions that return such a check's verdict or return their argument only
//! when it passes. Encoders clean a value: `QueryDict.urlencode()`, `urlencode`/`quote`,
//! `json_script`, `escapejs`, `s.replace("<", ...)`, `s.translate(table)` with a table that
//! maps `<`, `json.dumps(..., cls=Encoder)` whose project encoder escapes, `urlize()` with
//! autoescaping, and project helpers whose every return value is escaped. Plain
//! `json.dumps()` escapes none of `<`, `>`, `&` and is not an encoder.
//!
//! ## Why is this bad?
//! Templates escape variables unless they are marked safe. A marked-safe string that contains
//! user input is inserted verbatim, so `<script>` in a search box runs in every visitor's
//! browser, with their session.
//!
//! ## Example
//! ```python
//! def greet(request):
//!     name = request.GET.get("name", "")
//!     return render(request, "hello.html", {"greeting": mark_safe(f"<b>Hello {name}</b>")})
//! ```
//!
//! ## Fix
//! Let `format_html` escape the values: `format_html("<b>Hello {}</b>", name)`. Escape before
//! marking safe (`mark_safe(escape(name))`) or leave the value to the template's
//! auto-escaping. Serve data as `JsonResponse` or with a non-HTML `content_type`.
//!
//! ## References
//! - Django documentation: django.utils.safestring.mark_safe, django.utils.html.format_html
//! - OWASP Cross Site Scripting Prevention Cheat Sheet
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::{Confidence, Severity};
use crate::python::ast::Expr;
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG102",
        title: "Request data marked safe or returned as HTML (cross-site scripting)",
        severity: Severity::High,
        cwe: Some(79),
        groups: &["code"],
    },
    names: &[
        "mark_safe",
        "SafeString",
        "SafeText",
        "SafeData",
        "Markup",
        "format_html",
        "HttpResponse",
    ],
    sinks,
    fix: "Build HTML with format_html(\"<b>{}</b>\", value) so values are escaped, escape before mark_safe, or return JsonResponse / a non-HTML content_type.",
};

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let Some(q) = site.qualname else { return };
    let sink = |name: &str, low: Low| Sink {
        rule: &RULE.meta,
        name: name.to_string(),
        args: vec![ArgRef::Pos(0)],
        low,
        checked: Checked::Nothing,
        origin_only: false,
    };
    match q {
        "django.utils.safestring.mark_safe" => out.push(sink("mark_safe()", Low::NonConstant)),
        "django.utils.safestring.SafeString"
        | "django.utils.safestring.SafeText"
        | "django.utils.safestring.SafeData" => out.push(sink("SafeString()", Low::NonConstant)),
        "markupsafe.Markup" | "jinja2.Markup" | "flask.Markup" => {
            out.push(sink("Markup()", Low::NonConstant));
        }
        "django.utils.html.format_html" => {
            let first = site.call.arguments.args.first();
            let preformatted = match first {
                Some(Expr::FString(_)) => true,
                Some(Expr::BinOp(b)) => {
                    matches!(&*b.left, Expr::StringLiteral(_) | Expr::FString(_))
                }
                Some(Expr::Call(c)) => {
                    matches!(&*c.func, Expr::Attribute(a) if a.attr.id.as_str() == "format")
                }
                _ => false,
            };
            if preformatted {
                out.push(sink(
                    "format_html() with a pre-formatted string",
                    Low::Always(
                        Confidence::Low,
                        "a format string that was already formatted, so its values are not escaped",
                    ),
                ));
            }
        }
        "django.http.HttpResponse" | "django.http.response.HttpResponse" => {
            // content_type is the second positional parameter of HttpResponse.
            let content_type = site.keyword_name("content_type").or_else(|| {
                site.call.arguments.args.get(1).map(|e| {
                    site.ix
                        .text(site.file, crate::python::Ranged::range(e))
                        .to_string()
                })
            });
            let html = match content_type {
                None => true,
                Some(ct) => ct.contains("html"),
            };
            if html && !site.call.arguments.args.is_empty() {
                out.push(sink("HttpResponse() served as HTML", Low::Never));
            }
        }
        _ => {}
    }
}
