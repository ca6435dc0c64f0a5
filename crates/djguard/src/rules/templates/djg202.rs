//! # DJG202: Template variable inside a `<script>` block
//!
//! ## What it does
//! Finds `{{ variable }}` printed inside `<script>...</script>`. Variables passed through
//! `escapejs`, identifiers and counts (`obj.pk`, `forloop.counter`) and scripts that are not
//! JavaScript (`type="text/template"`, JSON data blocks) are left alone.
//!
//! Linked to the views (see DJG201): a variable a view fills from the request is high
//! confidence, one every view gives as a constant is not reported.
//!
//! ## Why is this bad?
//! HTML escaping does not make a value safe in JavaScript: inside a script, `</script>`, a
//! quote, a backslash or a line separator in the data can end the string or the script and
//! run the attacker's code. Django's auto-escaping was designed for HTML text, not for code.
//!
//! ## Example
//! ```html
//! <script>const user = "{{ request.user.get_full_name }}";</script>
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

use super::{Hit, TemplateFile, TemplateRule, shown};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::templates::html::Context;
use crate::templates::lexer;

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
    for (tok, ctx) in t.var_contexts() {
        if !matches!(ctx, Context::Script) {
            continue;
        }
        let var = lexer::parse_var(t.inner(tok));
        // `<script type="text/template">`, JSON data blocks and the like are not run.
        let script_type = super::enclosing_script(t, tok.start)
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
        if var
            .filters
            .iter()
            .any(|f| matches!(f.name.as_str(), "escapejs" | "tojson" | "json_script"))
        {
            continue;
        }
        let Some((confidence, from)) = t.linked(&var.base, Confidence::Medium) else {
            continue;
        };
        out.push(Hit {
            start: tok.start,
            end: tok.end,
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
