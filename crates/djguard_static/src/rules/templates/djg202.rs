//! # DJG202: Template variable inside a `<script>` block
//!
//! ## What it does
//! Finds `{{ variable }}` printed inside `<script>...</script>`. Left alone: scripts that are
//! not JavaScript (`type="text/template"`, JSON data blocks) and values that cannot end a
//! string or the script (see `values.rs`): identifiers, counts, booleans, dates and UUIDs
//! (`obj.pk`, `forloop.counter`, `loop.index`, `|length`, `|date:"U"`, `|yesno:"a,b"`),
//! `csrf_token` and Django's settings constants (`LANGUAGE_CODE`, `STATIC_URL`,
//! `CSRF_COOKIE_NAME`...), reversed URLs (`{% url ... as u %}`, Jinja `url("name", obj.pk)`),
//! JSON that escapes `<` (`escapejs`, `json_script`, `tojson`, djblets' `json_dumps`, project
//! filters that return only literals or `json.dumps(...)` with `<` replaced), literals and
//! translations the template sets (`{% trans "x" as y %}`, `{% set y = gettext("x") %}`).
//! HTML-escaped text (Django's auto-escaping, or `|escape`) inside a quoted JavaScript string
//! is left alone too, unless another variable that could end in a backslash follows on the
//! same line. `{{ data|safe }}` of plain `json.dumps` is still reported.
//!
//! Linked to the views (see DJG201): a variable a view fills from the request is high
//! confidence, one every view gives as a constant is not reported, and one whose value
//! djguard cannot trace to the request is low confidence (listed with `--min-confidence
//! low`): on the precision corpus, such variables were a real problem 13 % of the time (7
//! of 54, after the exemptions above), so they are a review list, not a finding.
//!
//! ## Why is this bad?
//! HTML escaping does not make a value safe in JavaScript: inside a script, `</script>`, a
//! quote, a backslash or a line separator in the data can end the string or the script and
//! run the attacker's code. Django's auto-escaping was designed for HTML text, not for code:
//! it keeps a value from closing a quoted string, but a trailing backslash still escapes the
//! closing quote, so the next value on the line runs as code.
//!
//! ## Example
//! ```html
//! <script>const user = {{ user_json|safe }};</script>
//! <script>init("{{ first_name }}", "{{ last_name }}");</script>
//! ```
//!
//! ## Fix
//! Pass data to scripts with `{{ data|json_script:"user-data" }}` and read it with
//! `JSON.parse(document.getElementById("user-data").textContent)`; for a single string inside
//! a JavaScript string literal, `|escapejs` at least.
//!
//! ## References
//! - Django documentation: Built-in template tags and filters → json_script, escapejs
//! - OWASP Cross Site Scripting Prevention Cheat Sheet → JavaScript contexts
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use super::values::{self, Kind};
use super::{Hit, TemplateFile, TemplateRule, shown};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::html::Context;
use crate::templates::lexer::{self, TokenKind};

pub static RULE: TemplateRule = TemplateRule {
    meta: RuleMeta {
        id: "DJG202",
        title: "Template variable inside a <script> block",
        severity: Severity::Medium,
        cwe: Some(79),
        groups: &["templates"],
    },
    check,
    html: true,
};

fn check(t: &TemplateFile, out: &mut Vec<Hit>) {
    for (index, ctx) in &t.html.contexts {
        let Some(tok) = t.tokens.get(*index).filter(|k| k.kind == TokenKind::Var) else {
            continue;
        };
        if !matches!(ctx, Context::Script) {
            continue;
        }
        let var = lexer::parse_var(t.inner(tok));
        let script = super::enclosing_script(t, tok.start);
        // `<script type="text/template">`, JSON data blocks and the like are not run.
        let script_type = script
            .and_then(|s| s.attr("type"))
            .and_then(|a| a.value.clone())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let javascript = script_type.is_empty()
            || script_type.contains("javascript")
            || script_type.contains("ecmascript")
            || script_type == "module";
        if !javascript || super::numeric(&var.base) {
            continue;
        }
        // Values that cannot end a string or the script: numbers, tokens, reversed URLs,
        // JSON with `<` escaped, constants.
        let kind = t.value_kind(tok, &var);
        if matches!(kind, Kind::Constant | Kind::Inert | Kind::ScriptSafe) {
            continue;
        }
        // HTML-escaped text (or a percent-encoded URL) inside a quoted JavaScript string:
        // no quote, `<` or `>` can appear to close the string or the script.
        if let Some(quote) = script.and_then(|s| values::js_string_quote(t, s.end, tok))
            && (values::html_escaped(t, *index, &var) || (kind == Kind::NoSpace && quote == '"'))
        {
            continue;
        }
        let Some((confidence, from)) = t.linked(&var.base, Confidence::Low) else {
            continue;
        };
        out.push(Hit {
            at: tok.start..tok.end,
            message: format!(
                "{} is printed inside <script>, where HTML escaping does not stop a value from ending the string or the script.{from}",
                shown(t.text(tok))
            ),
            fix: "Pass the data with {{ value|json_script:\"id\" }} and read it with JSON.parse in the script; at least use |escapejs inside a JavaScript string.".into(),
            key: format!("script:{}", var.base),
            confidence,
        });
    }
}
