//! What a printed template variable can hold, read from the template alone (and the project's
//! own filters): the value kinds that cannot break out of a script, a JavaScript string or an
//! unquoted attribute, whatever the data.
//!
//! - identifiers, counts, booleans, dates and UUIDs (`obj.pk`, `item_id`, `|length`,
//!   `forloop.counter`, `loop.index`, `|date:"U"`, `|yesno:"true,false"`);
//! - Django's CSRF token and the settings and context-processor constants that Django itself
//!   defines (`csrf_token`, `LANGUAGE_CODE`, `STATIC_URL`, `settings.CSRF_COOKIE_NAME`);
//! - URLs reversed from route names (`{% url ... as u %}`, Jinja's `url("name")`): Django
//!   percent-encodes what the route captures, so no space, `<` or `"` survives;
//! - JSON that escapes `<`, `>` and `&` (`escapejs`, `json_script`, `tojson`, djblets'
//!   `json_dumps`, project filters built that way) inside a script;
//! - literals, translations of literals and variables the template sets to them
//!   (`{% trans "Save" as label %}`, `{% set tip = gettext("…") %}`).

use super::TemplateFile;
use crate::templates::lexer::{self, Token, TokenKind, VarExpr};
use crate::templates::library::{self, Output};

/// What a variable can print, from the most to the least constrained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// No data enters: a literal, a translation of one.
    Constant,
    /// Only letters, digits and `-_.:/`: a number, a boolean, a token, a reversed URL.
    Inert,
    /// Percent-encoded like a URL (no space, quote-free except `'`), but built from data.
    NoSpace,
    /// Cannot end a `<script>` (JSON with `<` escaped); may hold spaces and quotes.
    ScriptSafe,
    Unknown,
}

/// Filters whose output is a number, a date or one of their literal arguments.
fn inert_filter(name: &str, arg: Option<&str>) -> bool {
    let literal_arg_inert = || arg.is_none_or(|a| literal(a).is_some_and(library::inert_text));
    match name {
        "length" | "count" | "wordcount" | "floatformat" | "filesizeformat" | "int" | "float"
        | "round" | "abs" | "slugify" | "urlencode" | "get_digit" | "length_is" | "divisibleby"
        | "unix_timestamp" => true,
        // `|add:1`: a number, or "" when the value is not one.
        "add" => arg.is_some_and(|a| a.trim().parse::<f64>().is_ok()),
        "date" | "time" | "yesno" | "pluralize" => literal_arg_inert(),
        _ => false,
    }
}

/// Filters of Django, Jinja2 and common libraries whose output cannot end a `<script>`.
const SCRIPT_SAFE_FILTERS: &[&str] = &[
    "escapejs",
    "json_script",
    "tojson",
    // djblets `djblets_js`: json.dumps then `<`, `>`, `&` as `\u003C`... (json_dumps,
    // json_dumps_items).
    "json_dumps",
    "json_dumps_items",
];

/// Filters that leave the kind of the value as it was.
const PASSTHROUGH: &[&str] = &[
    "safe",
    "lower",
    "upper",
    "title",
    "capfirst",
    "trim",
    "first",
    "last",
    "escape",
    "e",
    "force_escape",
    "conditional_escape",
    "string",
    "unlocalize",
    "localize",
];

/// The text of a quoted literal.
fn literal(word: &str) -> Option<&str> {
    let w = word.trim();
    let q = w.chars().next()?;
    if (q == '"' || q == '\'') && w.len() >= 2 && w.ends_with(q) {
        w.get(1..w.len() - 1)
    } else {
        None
    }
}

fn is_number(word: &str) -> bool {
    let w = word.trim();
    !w.is_empty() && w.parse::<f64>().is_ok()
}

/// Settings Django defines whose values are operator-chosen names, codes and paths, and the
/// context processors that print them (`django.template.context_processors.static`, `media`,
/// `i18n`, `csrf`).
const INERT_NAMES: &[&str] = &[
    "csrf_token",
    "LANGUAGE_CODE",
    "LANGUAGE_BIDI",
    "STATIC_URL",
    "MEDIA_URL",
    "LOGIN_URL",
    "LOGOUT_URL",
    "LOGIN_REDIRECT_URL",
    "LOGOUT_REDIRECT_URL",
    "CSRF_COOKIE_NAME",
    "CSRF_HEADER_NAME",
    "SESSION_COOKIE_NAME",
    "LANGUAGE_COOKIE_NAME",
    "TIME_ZONE",
    "DEBUG",
    "SITE_ID",
];

/// A name that holds a number or a boolean: identifiers and counts (`obj.pk`, `item_id`,
/// `forloop.counter`, `loop.index`), flags (`user.is_staff`), UUIDs, and settings named as
/// limits (`settings.MAX_TAG_LENGTH`).
pub fn numeric(base: &str) -> bool {
    let base = base.trim().trim_end_matches("()");
    let last = base.rsplit('.').next().unwrap_or(base);
    let looping = base.starts_with("forloop.") || base.starts_with("loop.");
    if matches!(
        last,
        "pk" | "id"
            | "count"
            | "counter"
            | "counter0"
            | "length"
            | "uuid"
            | "id_for_label"
            | "auto_id"
            | "html_name"
    ) || last.ends_with("_id")
        || last.ends_with("_pk")
        || last.ends_with("_count")
        || last.ends_with("_uuid")
        || last.starts_with("is_")
        || last.starts_with("has_")
    {
        return true;
    }
    if looping
        && matches!(
            last,
            "index"
                | "index0"
                | "revindex"
                | "revindex0"
                | "revcounter"
                | "revcounter0"
                | "first"
                | "last"
                | "depth"
                | "depth0"
        )
    {
        return true;
    }
    // Upper-case settings named as numbers: `MIN_TITLE_LENGTH`, `MAX_UPLOAD_SIZE`.
    let upper = !last.is_empty()
        && last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    upper
        && (last.starts_with("MIN_")
            || last.starts_with("MAX_")
            || [
                "_LENGTH",
                "_SIZE",
                "_COUNT",
                "_LIMIT",
                "_INTERVAL",
                "_TIMEOUT",
                "_SECONDS",
                "_PER_PAGE",
                "_PAGE_SIZE",
            ]
            .iter()
            .any(|s| last.ends_with(s)))
}

fn inert_name(base: &str) -> bool {
    let base = base.trim().trim_end_matches("()");
    let stripped = base
        .strip_prefix("settings.")
        .or_else(|| base.strip_prefix("request."))
        .unwrap_or(base);
    INERT_NAMES.contains(&stripped)
}

/// Jinja calls of a translation function with literal arguments only: constant text.
fn gettext_call(base: &str) -> bool {
    let Some((name, rest)) = base.split_once('(') else {
        return false;
    };
    matches!(
        name.trim(),
        "_" | "gettext" | "pgettext" | "ngettext" | "npgettext" | "ugettext" | "trans"
    ) && call_args(rest).is_some_and(|args| args.iter().all(|a| literal(a).is_some()))
}

/// The arguments of a call whose `(` came just before `rest`, when it ends the expression.
fn call_args(rest: &str) -> Option<Vec<&str>> {
    let inner = rest.trim_end().strip_suffix(')')?;
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut from = 0;
    for (at, c) in inner.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    if depth == 0 {
                        return None;
                    }
                    depth -= 1;
                }
                ',' if depth == 0 => {
                    out.push(inner.get(from..at)?.trim());
                    from = at + 1;
                }
                _ => {}
            },
        }
    }
    let last = inner.get(from..)?.trim();
    if !last.is_empty() {
        out.push(last);
    }
    Some(out)
}

/// Jinja's `url("name", args...)` (and `reverse`, `url_for`, `static`): a reversed path.
fn url_call(base: &str) -> Option<Kind> {
    let (name, rest) = base.split_once('(')?;
    if !matches!(name.trim(), "url" | "reverse" | "url_for" | "static") {
        return None;
    }
    let args = call_args(rest)?;
    let name_ok = args.first().is_some_and(|a| literal(a).is_some());
    if !name_ok {
        return None;
    }
    Some(url_args_kind(args.iter().skip(1).copied()))
}

/// A reversed URL: inert when every argument is a literal or a number, else percent-encoded
/// data (no space, `<`, `>` or `"`, but maybe `'`).
fn url_args_kind<'w>(args: impl Iterator<Item = &'w str>) -> Kind {
    let mut kind = Kind::Inert;
    for a in args {
        let value = a
            .split_once('=')
            .map_or(a, |(k, v)| if k.contains(['"', '\'']) { a } else { v });
        if !(literal(value).is_some() || is_number(value) || numeric(value)) {
            kind = Kind::NoSpace;
        }
    }
    kind
}

impl TemplateFile<'_> {
    /// What `{{ var }}` at token `tok` can print.
    pub fn value_kind(&self, tok: &Token, var: &VarExpr) -> Kind {
        self.expr_kind(tok.start, var, 0)
    }

    fn expr_kind(&self, at: usize, var: &VarExpr, depth: usize) -> Kind {
        let base = var.base.as_str();
        let mut kind = self.base_kind(at, base, depth);
        let literal_base = kind == Kind::Constant;
        for f in &var.filters {
            let name = f.name.as_str();
            let arg = f.arg.as_deref();
            if inert_filter(name, arg) {
                kind = kind.min(Kind::Inert);
                continue;
            }
            if SCRIPT_SAFE_FILTERS.contains(&name) {
                kind = kind.min(Kind::ScriptSafe);
                continue;
            }
            if PASSTHROUGH.contains(&name) {
                continue;
            }
            if matches!(name, "default" | "default_if_none" | "d") {
                let a = arg.unwrap_or("");
                let k = if literal(a).is_some_and(library::inert_text) || is_number(a) {
                    Kind::Inert
                } else if literal(a).is_some() {
                    Kind::ScriptSafe
                } else {
                    Kind::Unknown
                };
                kind = kind.max(k);
                continue;
            }
            if let Some(out) = self.library.filters.get(name) {
                kind = match out {
                    Output::Inert => kind.min(Kind::Inert),
                    Output::ScriptSafe => kind.min(Kind::ScriptSafe),
                };
                continue;
            }
            // A filter of a constant with constant arguments prints a constant.
            if !(literal_base && arg.is_none_or(|a| literal(a).is_some() || is_number(a))) {
                kind = Kind::Unknown;
            }
        }
        kind
    }

    fn base_kind(&self, at: usize, base: &str, depth: usize) -> Kind {
        let base = base.trim();
        if literal(base).is_some()
            || is_number(base)
            || matches!(base, "true" | "false" | "none" | "True" | "False" | "None")
        {
            return Kind::Constant;
        }
        if gettext_call(base) {
            return Kind::Constant;
        }
        // Jinja's `a or b`: either operand.
        if !base.contains(['"', '\'', '(']) && base.contains(" or ") {
            return base
                .split(" or ")
                .map(|part| self.base_kind(at, part, depth + 1))
                .max()
                .unwrap_or(Kind::Unknown);
        }
        if let Some(k) = url_call(base) {
            return k;
        }
        if inert_name(base) || numeric(base) {
            return Kind::Inert;
        }
        let root = base
            .split(['.', '[', '(', '|'])
            .next()
            .unwrap_or(base)
            .trim();
        if !root.is_empty()
            && depth < 4
            && let Some(k) = self.local_kind(at, root, depth)
        {
            return k;
        }
        // `obj.get_absolute_url` conventionally returns `reverse(...)` of the object's keys.
        if base.trim_end_matches("()").ends_with("get_absolute_url") {
            return Kind::NoSpace;
        }
        Kind::Unknown
    }

    /// What the template itself sets `name` to before `at`, when it sets it: the worst kind
    /// over every definition (`{% trans "x" as name %}`, `{% url ... as name %}`, `{% with %}`,
    /// Jinja `{% set %}`); Unknown for a loop variable or a macro parameter.
    fn local_kind(&self, at: usize, name: &str, depth: usize) -> Option<Kind> {
        let mut found: Option<Kind> = None;
        let mut add = |k: Kind| found = Some(found.map_or(k, |f: Kind| f.max(k)));
        for (i, tok) in self.tags() {
            let inner = self.inner(tok);
            let tag = lexer::tag_name(inner);
            let args = lexer::tag_args(inner);
            match tag {
                "for" => {
                    let header = inner.trim_start().get(3..).unwrap_or("");
                    let vars = header.split(" in ").next().unwrap_or("");
                    if vars.split(',').any(|v| v.trim() == name) {
                        add(Kind::Unknown);
                    }
                }
                "macro" => {
                    let header = inner.trim_start().get(5..).unwrap_or("");
                    if let Some((_, params)) = header.split_once('(')
                        && params
                            .split([',', ')'])
                            .any(|p| p.split('=').next().unwrap_or("").trim() == name)
                    {
                        add(Kind::Unknown);
                    }
                }
                "set" => {
                    let rest = inner.trim_start().get(3..).unwrap_or("");
                    let Some((target, value)) = rest.split_once('=') else {
                        // `{% set x %}...{% endset %}`: a block of template.
                        if rest.trim() == name {
                            add(Kind::Unknown);
                        }
                        continue;
                    };
                    if target.split(',').any(|t| t.trim() == name) {
                        if target.contains(',') || tok.start >= at {
                            add(Kind::Unknown);
                        } else {
                            add(self.expr_kind(tok.start, &lexer::parse_var(value), depth + 1));
                        }
                    }
                }
                "with" => {
                    for (k, v) in with_pairs(&args) {
                        if k == name {
                            add(self.expr_kind(tok.start, &lexer::parse_var(v), depth + 1));
                        }
                    }
                }
                "blocktrans" | "blocktranslate" => {
                    let Some(pos) = args.iter().position(|a| a == "asvar") else {
                        continue;
                    };
                    if args.get(pos + 1).map(String::as_str) != Some(name) {
                        continue;
                    }
                    // Constant unless the block prints variables.
                    let has_vars = args.iter().any(|a| a == "with" || a == "count")
                        || self
                            .tokens
                            .iter()
                            .skip(i + 1)
                            .take_while(|t| {
                                !(t.kind == TokenKind::Block
                                    && lexer::tag_name(self.inner(t)).starts_with("endblocktrans"))
                            })
                            .any(|t| t.kind == TokenKind::Var);
                    add(if has_vars {
                        Kind::Unknown
                    } else {
                        Kind::Constant
                    });
                }
                _ => {
                    let n = args.len();
                    if n >= 2 && args[n - 2] == "as" && args[n - 1] == name {
                        let words = &args[..n - 2];
                        add(match tag {
                            "trans" | "translate" => {
                                if words.first().is_some_and(|w| literal(w).is_some()) {
                                    Kind::Constant
                                } else {
                                    Kind::Unknown
                                }
                            }
                            "url" if words.first().is_some_and(|w| literal(w).is_some()) => {
                                url_args_kind(words.iter().skip(1).map(String::as_str))
                            }
                            "now" => Kind::Inert,
                            _ => Kind::Unknown,
                        });
                    }
                }
            }
        }
        found
    }
}

/// `{% with a=b c=d %}` and the older `{% with b as a %}`: (name, expression).
fn with_pairs(args: &[String]) -> Vec<(&str, &str)> {
    if args.len() == 3 && args[1] == "as" {
        return vec![(args[2].as_str(), args[0].as_str())];
    }
    args.iter()
        .filter_map(|a| a.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The quote of the JavaScript string (`'…'` or `"…"`, not a template literal) the hole `tok`
/// sits in, in the script whose start tag ends at `script_end`, when no other variable that
/// could carry a backslash (anything not inert) follows on the same line: HTML-escaped text
/// there cannot close the string or the script.
pub fn js_string_quote(t: &TemplateFile, script_end: usize, tok: &Token) -> Option<char> {
    #[derive(PartialEq)]
    enum S {
        Code,
        Str(char),
        Template,
        Line,
        Block,
    }
    let mut s = S::Code;
    let mut prev = '\0';
    let mut escaped = false;
    for other in t
        .tokens
        .iter()
        .filter(|k| k.end > script_end && k.start < tok.start)
    {
        let text = match other.kind {
            // The text token may begin before the script (with its start tag).
            TokenKind::Text => t
                .src
                .get(other.start.max(script_end)..other.end)
                .unwrap_or(""),
            TokenKind::Var => "0",
            _ => continue,
        };
        for c in text.chars() {
            match s {
                S::Code => match c {
                    '"' | '\'' => s = S::Str(c),
                    '`' => s = S::Template,
                    '/' if prev == '/' => s = S::Line,
                    '*' if prev == '/' => s = S::Block,
                    _ => {}
                },
                S::Str(q) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == q || c == '\n' {
                        s = S::Code;
                    }
                }
                S::Template => {
                    if c == '`' && prev != '\\' {
                        s = S::Code;
                    }
                }
                S::Line => {
                    if c == '\n' {
                        s = S::Code;
                    }
                }
                S::Block => {
                    if c == '/' && prev == '*' {
                        s = S::Code;
                    }
                }
            }
            // `//` after a closed comment must not chain: forget the slash that closed it.
            prev = if matches!(s, S::Code) && c == '/' && prev == '*' {
                '\0'
            } else {
                c
            };
        }
    }
    let S::Str(quote) = s else {
        return None;
    };
    // Later variables on the same line must not be able to follow a trailing backslash.
    for other in t.tokens.iter().filter(|k| k.start >= tok.end) {
        match other.kind {
            TokenKind::Text if t.text(other).contains('\n') => break,
            TokenKind::Var
                if t.value_kind(other, &lexer::parse_var(t.inner(other))) > Kind::Inert =>
            {
                return None;
            }
            _ => {}
        }
    }
    Some(quote)
}

/// Whether the variable is HTML-escaped when printed: explicitly (`|escape`, `|e`,
/// `|force_escape`), or by Django's auto-escaping (not Jinja2's, which the project may turn
/// off) outside `{% autoescape off %}` and without `|safe`.
pub fn html_escaped(t: &TemplateFile, index: usize, var: &VarExpr) -> bool {
    let mut escaped = false;
    for f in &var.filters {
        match f.name.as_str() {
            "escape" | "e" | "force_escape" => escaped = true,
            n if PASSTHROUGH.contains(&n) => {}
            _ => escaped = false,
        }
    }
    if escaped {
        return true;
    }
    if t.jinja
        || var
            .filters
            .iter()
            .any(|f| f.name == "safe" || f.name == "safeseq")
    {
        return false;
    }
    if !var
        .filters
        .iter()
        .all(|f| PASSTHROUGH.contains(&f.name.as_str()))
    {
        // Another filter may return safe text (mark_safe) that auto-escaping skips.
        return false;
    }
    // Inside `{% autoescape off %}`?
    !t.blocks.iter().any(|b| {
        b.name == "autoescape"
            && b.open < index
            && b.close.is_none_or(|c| c > index)
            && t.tokens.get(b.open).is_some_and(|o| {
                lexer::tag_args(t.inner(o))
                    .first()
                    .is_some_and(|a| a.eq_ignore_ascii_case("off"))
            })
    })
}
