//! Helpers shared by the code rules: walking a module's calls and statements, decorator
//! names, identifier words, and which files are tests or settings.

use crate::code::ids::FileId;
use crate::code::index::{FuncId, Index};
use crate::python::Ranged;
use crate::python::ast::{self, Expr, Stmt};

/// The last dotted component: `django.views.decorators.csrf.csrf_exempt` → `csrf_exempt`.
pub fn last(q: &str) -> &str {
    q.rsplit('.').next().unwrap_or(q)
}

/// Qualified names (or source text) of decorators, with call decorators named by their callee.
pub fn decorators(ix: &Index, file: FileId, list: &[ast::Decorator]) -> Vec<String> {
    list.iter()
        .map(|d| {
            let e = match &d.expression {
                Expr::Call(c) => &*c.func,
                e => e,
            };
            ix.qualname(file, e)
                .unwrap_or_else(|| ix.text(file, e.range()).to_string())
        })
        .collect()
}

/// Whether `name` contains any of `needles` (lower-case ASCII), ignoring ASCII case, without
/// allocating: the cheap first test before splitting an identifier into words.
pub fn mentions_any(name: &str, needles: &[&str]) -> bool {
    let hay = name.as_bytes();
    needles.iter().any(|n| {
        let n = n.as_bytes();
        hay.len() >= n.len()
            && hay
                .windows(n.len())
                .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
    })
}

/// The lower-case words of an identifier (`apiKey`, `API_KEY`, `api-key` → `api`, `key`).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Test code: `tests/`, `test_*.py`, `*_test(s).py`, `conftest.py`.
pub fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    rel.split('/').any(|d| {
        matches!(
            d,
            "tests" | "test" | "testing" | "testutils" | "pytest" | "fixtures" | "test_utils"
        )
    }) || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name.ends_with("_tests.py")
        || name == "tests.py"
        || name == "conftest.py"
}

/// Views that other servers or external flows call by design: webhooks, payment and OAuth
/// callbacks and returns, report endpoints, confirmation links. They legitimately skip CSRF,
/// answer GET with side effects or accept anonymous writes, and authenticate callers their
/// own way; the CSRF, GET and DRF-permission rules leave them alone.
pub fn external_entry_point(name: &str, rel: &str) -> bool {
    entry_point(name, rel, false)
}

/// The same, with only the words that cannot describe an ordinary resource (no `report`,
/// `notification`, `complete`...): for DRF classes, where `ReportViewSet` is a plain API.
pub fn machine_entry_point(name: &str, rel: &str) -> bool {
    entry_point(name, rel, true)
}

fn entry_point(name: &str, rel: &str, strong_only: bool) -> bool {
    let path = rel.to_ascii_lowercase();
    if path.contains("webhook") || path.contains("/hooks/") || path.contains("callback") {
        return true;
    }
    words(name).iter().any(|w| {
        MACHINE_WORDS.iter().any(|m| same_stem(w, m))
            || !strong_only && FLOW_WORDS.iter().any(|m| same_stem(w, m))
    })
}

/// Whether `word` is `entry` or one of its plural, verb or noun forms (`pings`, `bounced`,
/// `notification`, `verified`, `activation`, `callbacks`).
pub fn same_stem(word: &str, entry: &str) -> bool {
    if word == entry {
        return true;
    }
    let stem = entry
        .strip_suffix('y')
        .or_else(|| entry.strip_suffix('e'))
        .unwrap_or(entry);
    let Some(rest) = word.strip_prefix(stem) else {
        return false;
    };
    matches!(
        rest,
        "s" | "es"
            | "d"
            | "ed"
            | "ing"
            | "ies"
            | "ied"
            | "er"
            | "ers"
            | "ion"
            | "ions"
            | "ation"
            | "ations"
            | "ication"
            | "ications"
    )
}

/// Names only machine-to-machine endpoints have (their plural and verb forms count too).
const MACHINE_WORDS: &[&str] = &[
    "webhook",
    "hook",
    "callback",
    "ipn",
    "inbound",
    "beacon",
    "rpc",
    "interaction",
    "installed",
    "uninstalled",
    "oauth",
    "oidc",
    "sso",
    "ping",
    "bounce",
    "bot",
    "heartbeat",
];

/// Names of the end points of external flows (notifications, payment returns, confirmation
/// links); also plain resource names in a REST API, so not used for DRF classes.
const FLOW_WORDS: &[&str] = &[
    "notify",
    "notification",
    "report",
    "return",
    "complete",
    "confirm",
    "verify",
    "activate",
];

/// Settings modules (their credentials are DJG016's).
pub fn is_settings_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.starts_with("settings") || rel.split('/').any(|d| d == "settings")
}

/// The name an expression is stored under: `x`, `obj.x`, `d["x"]` → `x`.
pub fn target_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.id.as_str()),
        Expr::Subscript(s) => match &*s.slice {
            Expr::StringLiteral(l) => Some(l.value.to_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Calls a closure on every expression it walks.
struct ExprVisitor<'f, 'a>(&'f mut dyn FnMut(&'a Expr));

impl<'a> ast::visitor::Visitor<'a> for ExprVisitor<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        (self.0)(expr);
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_expr(self, expr);
        });
    }
}

/// Call `f` on every expression of a body (nested functions and classes too).
pub fn each_expr<'a>(body: &'a [Stmt], f: &mut dyn FnMut(&'a Expr)) {
    let mut v = ExprVisitor(f);
    for s in body {
        ast::visitor::Visitor::visit_stmt(&mut v, s);
    }
}

/// Call `f` on an expression and every expression inside it.
pub fn each_subexpr<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    ast::visitor::Visitor::visit_expr(&mut ExprVisitor(f), e);
}

/// Call `f` on every statement of a module, nested ones included.
pub fn each_stmt<'a>(body: &'a [Stmt], f: &mut dyn FnMut(&'a Stmt)) {
    struct V<'f, 'a>(&'f mut dyn FnMut(&'a Stmt));
    impl<'a> ast::visitor::Visitor<'a> for V<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            (self.0)(stmt);
            stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
                ast::visitor::walk_stmt(self, stmt);
            });
        }
        fn visit_expr(&mut self, _expr: &'a Expr) {}
    }
    let mut v = V(f);
    for s in body {
        ast::visitor::Visitor::visit_stmt(&mut v, s);
    }
}

/// HTTP methods a view is restricted to by `require_GET`, `require_safe`, `require_POST` or
/// `require_http_methods([...])`; `None` when unrestricted.
pub fn allowed_methods(ix: &Index, file: FileId, list: &[ast::Decorator]) -> Option<Vec<String>> {
    for d in list {
        let (func, call) = match &d.expression {
            Expr::Call(c) => (&*c.func, Some(c)),
            e => (e, None),
        };
        let q = ix
            .qualname(file, func)
            .unwrap_or_else(|| ix.text(file, func.range()).to_string());
        match last(&q) {
            "require_GET" => return Some(vec!["GET".into()]),
            "require_safe" => return Some(vec!["GET".into(), "HEAD".into()]),
            "require_POST" => return Some(vec!["POST".into()]),
            "require_http_methods" => {
                let list = call.and_then(|c| c.arguments.args.first());
                let elts: Vec<String> = match list {
                    Some(Expr::List(l)) => l.elts.iter().filter_map(str_of).collect(),
                    Some(Expr::Tuple(t)) => t.elts.iter().filter_map(str_of).collect(),
                    Some(Expr::Set(s)) => s.elts.iter().filter_map(str_of).collect(),
                    _ => return None,
                };
                return Some(elts.into_iter().map(|m| m.to_ascii_uppercase()).collect());
            }
            _ => {}
        }
    }
    None
}

fn str_of(e: &Expr) -> Option<String> {
    match e {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}

pub fn only_safe_methods(methods: &[String]) -> bool {
    methods
        .iter()
        .all(|m| matches!(m.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE"))
}

/// View methods that handle unsafe HTTP methods.
pub const WRITE_HANDLERS: &[&str] = &[
    "post",
    "put",
    "patch",
    "delete",
    "create",
    "update",
    "partial_update",
    "destroy",
    "perform_create",
    "perform_update",
    "perform_destroy",
    "form_valid",
];

/// The innermost project function whose body holds `range`.
pub fn enclosing_func(ix: &Index, file: FileId, range: crate::python::TextRange) -> Option<FuncId> {
    ix.funcs
        .iter_enumerated()
        .filter(|(_, f)| f.file == file && f.def.range.contains_range(range))
        .min_by_key(|(_, f)| f.def.range.len())
        .map(|(id, _)| id)
}

/// The names of a function's parameters (positional, keyword-only, `*args`, `**kwargs`).
pub fn param_names(def: &ast::StmtFunctionDef) -> Vec<&str> {
    let p = &def.parameters;
    let mut out: Vec<&str> = p
        .posonlyargs
        .iter()
        .chain(p.args.iter())
        .chain(p.kwonlyargs.iter())
        .map(|a| a.parameter.name.as_str())
        .collect();
    out.extend(p.vararg.iter().map(|v| v.name.as_str()));
    out.extend(p.kwarg.iter().map(|v| v.name.as_str()));
    out
}

/// The values a function body assigns to each local name (`x = v`, `a, b = v`, `x: T = v`,
/// `for x in v`, `with v as x`), every assignment kept.
pub fn local_values(body: &[Stmt]) -> rustc_hash::FxHashMap<&str, Vec<&Expr>> {
    fn bind<'a>(t: &'a Expr, v: &'a Expr, out: &mut rustc_hash::FxHashMap<&'a str, Vec<&'a Expr>>) {
        match t {
            Expr::Name(n) => out.entry(n.id.as_str()).or_default().push(v),
            Expr::Tuple(tu) => tu.elts.iter().for_each(|e| bind(e, v, out)),
            Expr::List(l) => l.elts.iter().for_each(|e| bind(e, v, out)),
            Expr::Starred(s) => bind(&s.value, v, out),
            _ => {}
        }
    }
    let mut out = rustc_hash::FxHashMap::default();
    each_stmt(body, &mut |s| match s {
        Stmt::Assign(a) => a.targets.iter().for_each(|t| bind(t, &a.value, &mut out)),
        Stmt::AnnAssign(a) => {
            if let Some(v) = &a.value {
                bind(&a.target, v, &mut out);
            }
        }
        Stmt::AugAssign(a) => bind(&a.target, &a.value, &mut out),
        Stmt::For(f) => bind(&f.target, &f.iter, &mut out),
        Stmt::With(w) => {
            for item in &w.items {
                if let Some(v) = &item.optional_vars {
                    bind(v, &item.context_expr, &mut out);
                }
            }
        }
        _ => {}
    });
    out
}

/// Where request data an attacker chooses is read: `request.GET`/`POST`/`body`/`headers`/
/// `META`/`COOKIES`/`FILES`/`data`/`query_params`, a form's `cleaned_data`, a serializer's
/// `validated_data`/`initial_data`. (`request.user` and `request.session` are server-side.)
pub fn reads_request_data(text: &str) -> bool {
    const ATTRS: &[&str] = &[
        "GET",
        "POST",
        "body",
        "headers",
        "META",
        "COOKIES",
        "FILES",
        "data",
        "query_params",
        "query",
        "content_params",
        "json",
        "args",
        "form",
        "values",
    ];
    let mut rest = text;
    while let Some(i) = rest.find("request.") {
        let after = &rest[i + "request.".len()..];
        let ident: &str = after
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        if ATTRS.contains(&ident) {
            return true;
        }
        rest = after;
    }
    [
        ".cleaned_data",
        ".validated_data",
        ".initial_data",
        "self.data",
    ]
    .iter()
    .any(|m| text.contains(m))
}
