//! The URL configuration a settings module points at (ROOT_URLCONF), read statically: which
//! calls mount which views, and whether they sit under an `if settings.DEBUG:` guard.

use crate::python::ast::visitor::{self, Visitor};

use crate::project::Project;
use crate::python::ast::{Expr, Stmt};
use crate::python::semantic::ImportMap;
use crate::python::{Ranged, TextRange};
use crate::rules::django::DjangoCx;
use crate::settings::value::{Known, Unknown, Value};

/// One expression of interest in the URL conf.
pub struct UrlUse {
    pub file: usize,
    pub range: TextRange,
    /// The qualified name it resolves to, or the literal route of a `path()` call.
    pub name: String,
    /// The first argument of the enclosing `path()`/`re_path()`/`url()` call, if a literal.
    pub route: Option<String>,
    pub debug_guarded: bool,
}

/// The ROOT_URLCONF module file, if the project has it.
pub fn root_urlconf(cx: &DjangoCx) -> Known<Option<usize>> {
    match cx.get("ROOT_URLCONF").value {
        Value::Str(m) => Ok(cx.project.module(&m)),
        Value::Unknown(u) => Err(Unknown::new(format!("ROOT_URLCONF: {}", u.reason))),
        _ => Ok(None),
    }
}

const ROUTE_FUNCS: &[&str] = &[
    "django.urls.path",
    "django.urls.re_path",
    "django.conf.urls.url",
    "django.urls.conf.path",
    "django.urls.conf.re_path",
];

/// Every route call and every reference to a qualified name in the module, with whether it is
/// under an `if ...DEBUG...:` test.
pub fn uses(project: &Project, file: usize) -> Vec<UrlUse> {
    let py = &project.python[file];
    let Some(parsed) = &py.parsed else {
        return Vec::new();
    };
    let imports = ImportMap::from_module(&parsed.module, &py.package());
    struct Walk<'a> {
        imports: &'a ImportMap,
        file: usize,
        guard: usize,
        route: Vec<Option<String>>,
        out: Vec<UrlUse>,
    }
    impl<'a> Visitor<'a> for Walk<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::If(s) = stmt
                && mentions_debug(&s.test)
            {
                self.guard += 1;
                visitor::walk_stmt(self, stmt);
                self.guard -= 1;
                return;
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Some(q) = self.imports.qualified_name(&call.func)
                && ROUTE_FUNCS.contains(&q.as_str())
            {
                let route = match call.arguments.args.first() {
                    Some(Expr::StringLiteral(s)) => Some(s.value.to_str().to_string()),
                    _ => None,
                };
                self.route.push(route);
                visitor::walk_expr(self, expr);
                self.route.pop();
                return;
            }
            if matches!(expr, Expr::Name(_) | Expr::Attribute(_))
                && let Some(name) = self.imports.qualified_name(expr)
            {
                self.out.push(UrlUse {
                    file: self.file,
                    range: expr.range(),
                    name,
                    route: self.route.last().cloned().flatten(),
                    debug_guarded: self.guard > 0,
                });
                return;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut walk = Walk {
        imports: &imports,
        file,
        guard: 0,
        route: Vec::new(),
        out: Vec::new(),
    };
    walk.visit_body(&parsed.module.body);
    walk.out
}

fn mentions_debug(e: &Expr) -> bool {
    struct Find(bool);
    impl<'a> Visitor<'a> for Find {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) if n.id.as_str() == "DEBUG" => self.0 = true,
                Expr::Attribute(a) if a.attr.id.as_str() == "DEBUG" => self.0 = true,
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut f = Find(false);
    f.visit_expr(e);
    f.0
}
