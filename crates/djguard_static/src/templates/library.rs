//! The project's own template tag libraries, read from its Python code: which custom filters
//! can only print harmless text (literals, numbers, or JSON with `<`, `>` and `&` escaped),
//! and which inclusion tags render which template. The template rules use it to judge what a
//! `{{ value|filter }}` can print and whether a `{% tag %}` inside a form prints a CSRF token.
//! Only plain bodies are read: every `return` must be understood, else the filter is unknown.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::project::Project;
use crate::python::ast::{self, Expr, Stmt};

/// What a project filter's output can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Literals of letters, digits and `-_./:` only, numbers or booleans: nothing that can end
    /// a string, a script or an unquoted attribute.
    Inert,
    /// JSON (or text) with `<` replaced (`json.dumps(...).replace("<", "\\u003c")`, an
    /// HTML-safe JSON encoder): it cannot end a `<script>`.
    ScriptSafe,
}

#[derive(Debug, Default)]
pub struct Library {
    /// Project filters by registered name.
    pub filters: HashMap<String, Output>,
    /// Project template tags by registered name.
    pub tags: HashMap<String, Tag>,
    /// Some code of the project sets a crispy-forms helper's `disable_csrf`: `{% crispy %}`
    /// may then print no token.
    pub crispy_csrf_disabled: bool,
}

/// A project template tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tag {
    /// `@register.inclusion_tag("t.html")`: renders that template.
    Inclusion(String),
    /// `@register.simple_tag`: returns a value (escaped unless marked safe).
    Simple,
    /// `@register.tag`: a compiled tag, whatever it renders.
    Other,
}

/// Calls whose result is a number or a boolean.
const NUMERIC_CALLS: &[&str] = &["int", "float", "len", "bool", "round", "abs", "min", "max"];

/// Library calls whose result cannot end a `<script>`: Django's `escapejs`, `json_script`,
/// Jinja's `htmlsafe_json_dumps` (what `|tojson` uses).
const SCRIPT_SAFE_CALLS: &[&str] = &["escapejs", "json_script", "htmlsafe_json_dumps"];

impl Library {
    pub fn new(project: &Project) -> Library {
        let mut defs: HashMap<&str, Vec<&ast::StmtFunctionDef>> = HashMap::default();
        let mut lib_disable_csrf = false;
        // Module-level `encoder = JSONEncoderForHTML(...)`: an encoder whose `.encode()` output
        // escapes `<`, `>` and `&` (simplejson's, and project subclasses named like it).
        let mut html_encoders: HashSet<&str> = HashSet::default();
        for f in &project.python {
            if crate::rules::code::support::is_test_file(&f.rel) {
                continue;
            }
            let Some(p) = &f.parsed else { continue };
            if p.text.contains("disable_csrf") {
                lib_disable_csrf = true;
            }
            for s in &p.module.body {
                match s {
                    Stmt::FunctionDef(d) => defs.entry(d.name.as_str()).or_default().push(d),
                    Stmt::Assign(a) => {
                        if let Expr::Call(c) = &*a.value
                            && callee(&c.func).ends_with("ForHTML")
                        {
                            for t in &a.targets {
                                if let Expr::Name(n) = t {
                                    html_encoders.insert(n.id.as_str());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let cx = Cx {
            defs: &defs,
            html_encoders: &html_encoders,
        };
        let mut lib = Library {
            crispy_csrf_disabled: lib_disable_csrf,
            ..Library::default()
        };
        for ds in defs.values() {
            for d in ds {
                for dec in &d.decorator_list {
                    let (func, call) = match &dec.expression {
                        Expr::Call(c) => (&*c.func, Some(c)),
                        e => (e, None),
                    };
                    let Expr::Attribute(a) = func else { continue };
                    let registered = |default: &str| {
                        call.and_then(|c| {
                            c.arguments
                                .keywords
                                .iter()
                                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "name"))
                                .map(|k| &k.value)
                                .or_else(|| c.arguments.args.first())
                                .and_then(str_lit)
                        })
                        .unwrap_or(default)
                        .to_string()
                    };
                    match a.attr.id.as_str() {
                        "filter" => {
                            if let Some(out) = cx.function(d, 0) {
                                lib.filters.insert(registered(d.name.as_str()), out);
                            }
                        }
                        "inclusion_tag" => {
                            let Some(c) = call else { continue };
                            let template =
                                c.arguments.args.first().and_then(str_lit).or_else(|| {
                                    c.arguments
                                        .keywords
                                        .iter()
                                        .find(|k| {
                                            k.arg
                                                .as_ref()
                                                .is_some_and(|a| a.id.as_str() == "filename")
                                        })
                                        .and_then(|k| str_lit(&k.value))
                                });
                            let name = c
                                .arguments
                                .keywords
                                .iter()
                                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "name"))
                                .and_then(|k| str_lit(&k.value))
                                .unwrap_or(d.name.as_str());
                            let tag =
                                template.map_or(Tag::Other, |t| Tag::Inclusion(t.to_string()));
                            lib.tags.insert(name.to_string(), tag);
                        }
                        "simple_tag" => {
                            // A simple tag that renders a template (`get_template(t).render(...)`,
                            // `render_to_string(t, ...)`) prints what that template prints, as an
                            // inclusion tag would.
                            let tag = rendered_template(d)
                                .map_or(Tag::Simple, |t| Tag::Inclusion(t.to_string()));
                            lib.tags.insert(registered(d.name.as_str()), tag);
                        }
                        "tag" => {
                            lib.tags.insert(registered(d.name.as_str()), Tag::Other);
                        }
                        _ => {}
                    }
                }
            }
        }
        lib
    }
}

/// The template a simple tag renders: the body calls a template loader and the only `.html`
/// name in its literal arguments or parameter defaults is the template.
fn rendered_template(d: &ast::StmtFunctionDef) -> Option<&str> {
    use ast::visitor::{self, Visitor};
    struct Find<'a> {
        renders: bool,
        names: Vec<&'a str>,
    }
    impl<'a> Visitor<'a> for Find<'a> {
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Call(c)
                    if matches!(
                        callee(&c.func),
                        "get_template" | "select_template" | "render_to_string"
                    ) =>
                {
                    self.renders = true;
                }
                Expr::StringLiteral(s) if s.value.to_str().ends_with(".html") => {
                    self.names.push(s.value.to_str());
                }
                _ => {}
            }
            visitor::walk_expr(self, e);
        }
    }
    let mut f = Find {
        renders: false,
        names: Vec::new(),
    };
    for p in d.parameters.iter_non_variadic_params() {
        if let Some(default) = p.default.as_deref() {
            f.visit_expr(default);
        }
    }
    f.visit_body(&d.body);
    f.names.dedup();
    match (f.renders, f.names.as_slice()) {
        (true, [only]) => Some(only),
        _ => None,
    }
}

struct Cx<'c, 'a> {
    defs: &'c HashMap<&'a str, Vec<&'a ast::StmtFunctionDef>>,
    html_encoders: &'c HashSet<&'a str>,
}

fn str_lit(e: &Expr) -> Option<&str> {
    match e {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

/// The last name of a callee: `json.dumps` → `dumps`.
fn callee(e: &Expr) -> &str {
    match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.id.as_str(),
        _ => "",
    }
}

/// A literal whose characters cannot end anything: letters, digits, `-_./:#,` and nothing
/// else (no quotes, spaces, `<`, `>`, `&`, backslash).
pub fn inert_text(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '#' | ','))
}

fn join(a: Output, b: Output) -> Output {
    if a == Output::Inert && b == Output::Inert {
        Output::Inert
    } else {
        Output::ScriptSafe
    }
}

impl Cx<'_, '_> {
    /// What a function returns, when every `return` is understood.
    fn function(&self, d: &ast::StmtFunctionDef, depth: usize) -> Option<Output> {
        if depth > 3 {
            return None;
        }
        let mut rets = Vec::new();
        crate::rules::templates::djg210::returns(&d.body, &mut rets);
        // A bare `return` or falling off the end returns None, printed as "None": inert.
        let mut out: Option<Output> = None;
        for r in rets {
            let o = self.expr(r, depth)?;
            out = Some(out.map_or(o, |p| join(p, o)));
        }
        out
    }

    fn expr(&self, e: &Expr, depth: usize) -> Option<Output> {
        match e {
            Expr::StringLiteral(s) => inert_text(s.value.to_str()).then_some(Output::Inert),
            Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => {
                Some(Output::Inert)
            }
            Expr::If(i) => Some(join(
                self.expr(&i.body, depth)?,
                self.expr(&i.orelse, depth)?,
            )),
            Expr::Compare(_) => Some(Output::Inert),
            Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::Not) => Some(Output::Inert),
            Expr::Call(c) => {
                let name = callee(&c.func);
                if NUMERIC_CALLS.contains(&name) {
                    return Some(Output::Inert);
                }
                if SCRIPT_SAFE_CALLS.contains(&name) {
                    return Some(Output::ScriptSafe);
                }
                match name {
                    // `mark_safe(x)` prints what x holds.
                    "mark_safe" | "SafeString" | "Markup" => {
                        return self.expr(c.arguments.args.first()?, depth);
                    }
                    // `s.replace("<", "\\u003c")` (and chains ending in one).
                    "replace"
                        if c.arguments
                            .args
                            .first()
                            .and_then(str_lit)
                            .is_some_and(|s| s == "<") =>
                    {
                        return Some(Output::ScriptSafe);
                    }
                    "replace" | "strip" | "lower" | "upper" => {
                        if let Expr::Attribute(a) = &*c.func {
                            return self.expr(&a.value, depth);
                        }
                        return None;
                    }
                    // `json.dumps(x, cls=JSONEncoderForHTML)`; `encoder.encode(x)` of an
                    // HTML-safe encoder.
                    "dumps" | "encode" => {
                        let html_cls = c.arguments.keywords.iter().any(|k| {
                            k.arg.as_ref().is_some_and(|a| a.id.as_str() == "cls")
                                && callee(&k.value).ends_with("ForHTML")
                        });
                        let html_encoder = name == "encode"
                            && matches!(&*c.func, Expr::Attribute(a) if match &*a.value {
                                Expr::Name(n) => self.html_encoders.contains(n.id.as_str()),
                                Expr::Call(inner) => callee(&inner.func).ends_with("ForHTML"),
                                _ => false,
                            });
                        if html_cls || html_encoder {
                            return Some(Output::ScriptSafe);
                        }
                    }
                    _ => {}
                }
                // A project function: what every definition of that name returns.
                let ds = self.defs.get(name)?;
                if ds.len() > 4 {
                    return None;
                }
                let mut out: Option<Output> = None;
                for d in ds {
                    let o = self.function(d, depth + 1)?;
                    out = Some(out.map_or(o, |p| join(p, o)));
                }
                out
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Library, Output, Tag};
    use crate::project::Project;

    fn lib(src: &str) -> Library {
        let p = Project::from_sources(
            std::path::Path::new("/p"),
            &[("app/templatetags/t.py", src.as_bytes())],
        );
        Library::new(&p)
    }

    #[test]
    fn filters_are_classified_by_what_they_return() {
        let l = lib(r#"
import json
from django import template
register = template.Library()
enc = JSONEncoderForHTML()

@register.filter
def js_bool(v):
    if v:
        return 'true'
    return 'false'

@register.filter(name="as_json")
def to_json(v):
    return mark_safe(escape_lt(json.dumps(v)))

def escape_lt(s):
    return s.replace("<", "\\u003c")

@register.filter
def html_json(v):
    return enc.encode(v)

@register.filter
def plain_json(v):
    return mark_safe(json.dumps(v))

@register.filter
def quoted(v):
    return "it's"

@register.filter()
def count(v):
    return len(v)

@register.inclusion_tag("forms/f.html", takes_context=True)
def show_form(context, form):
    return {"form": form}
"#);
        assert_eq!(l.filters.get("js_bool"), Some(&Output::Inert));
        assert_eq!(l.filters.get("as_json"), Some(&Output::ScriptSafe));
        assert_eq!(l.filters.get("html_json"), Some(&Output::ScriptSafe));
        assert_eq!(l.filters.get("count"), Some(&Output::Inert));
        assert!(!l.filters.contains_key("plain_json"));
        assert!(!l.filters.contains_key("quoted"));
        assert!(!l.filters.contains_key("to_json"));
        assert_eq!(
            l.tags.get("show_form"),
            Some(&Tag::Inclusion("forms/f.html".into()))
        );
        assert!(!l.crispy_csrf_disabled);
    }
}
