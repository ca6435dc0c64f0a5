//! The checks a function makes before using a name as a redirect target or a path, found
//! in one pass over its body (only when a tainted value reaches such a sink).

use super::*;
use crate::code::ids::FileId;

/// Finds the names a function checks before using them as redirect targets or paths.
pub(super) struct Prescan<'s, 'x, 'a> {
    pub(super) ix: &'x Index<'a>,
    pub(super) file: FileId,
    pub(super) redirect: &'s mut HashSet<&'a str>,
    pub(super) path: &'s mut HashSet<&'a str>,
    /// `resolved = os.path.realpath(name)`: (resolved, name).
    pub(super) aliases: &'s mut Vec<(&'a str, &'a str)>,
}

/// The names inside an argument of a containment check: `x`, `[a, b]`, `realpath(x)`.
pub(super) fn names_in(e: &Expr) -> Vec<&str> {
    match e {
        Expr::Name(n) => vec![n.id.as_str()],
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().flat_map(names_in).collect()
        }
        Expr::Call(c) => c.arguments.args.iter().flat_map(names_in).collect(),
        _ => Vec::new(),
    }
}

/// A separator or parent reference: `if os.path.sep in name: raise` refuses paths.
pub(super) fn path_separator(e: &Expr) -> bool {
    match e {
        Expr::StringLiteral(s) => {
            let v = s.value.to_str();
            v == "/" || v == "\\" || v == ".."
        }
        Expr::Attribute(a) => matches!(a.attr.id.as_str(), "sep" | "altsep" | "pardir"),
        _ => false,
    }
}

impl<'a> ast::visitor::Visitor<'a> for Prescan<'_, '_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        if let Stmt::Assign(a) = stmt
            && let [Expr::Name(target)] = a.targets.as_slice()
            && let Expr::Call(c) = &*a.value
        {
            let last = match &*c.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.id.as_str(),
                _ => "",
            };
            let arg = match &*c.func {
                Expr::Attribute(a) if last == "resolve" => Some(&*a.value),
                _ => c.arguments.args.first(),
            };
            if matches!(last, "realpath" | "abspath" | "normpath" | "resolve")
                && let Some(Expr::Name(n)) = arg
            {
                self.aliases.push((target.id.as_str(), n.id.as_str()));
            }
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_stmt(self, stmt);
        });
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Compare(c) = expr
            && let ([op], [right]) = (&*c.ops, &*c.comparators)
            && matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn)
            && path_separator(&c.left)
            && let Expr::Name(n) = right
        {
            self.path.insert(n.id.as_str());
        }
        if let Expr::Call(c) = expr {
            // Matched by spelling: these names are specific enough, and resolving every call
            // through the imports would cost more than the whole check.
            let last = match &*c.func {
                Expr::Name(n) => Some(n.id.as_str()),
                Expr::Attribute(a) => Some(a.attr.id.as_str()),
                _ => None,
            };
            let names = c
                .arguments
                .args
                .iter()
                .chain(c.arguments.keywords.iter().map(|k| &k.value))
                .filter_map(|a| match a {
                    Expr::Name(n) => Some(n.id.as_str()),
                    _ => None,
                });
            match last {
                Some("url_has_allowed_host_and_scheme" | "is_safe_url") => {
                    self.redirect.extend(names);
                    // `url_has_allowed_host_and_scheme(request.GET.get("next"), ...)`: the same
                    // expression read again later is the checked value.
                    let first = c.arguments.args.first().or(c
                        .arguments
                        .keywords
                        .first()
                        .map(|k| &k.value));
                    if let Some(e) = first
                        && matches!(e, Expr::Call(_))
                    {
                        self.redirect.insert(self.ix.text(self.file, e.range()));
                    }
                }
                Some("commonpath" | "commonprefix") => {
                    self.path.extend(c.arguments.args.iter().flat_map(names_in));
                }
                _ => {}
            }
            if let Expr::Attribute(a) = &*c.func
                && matches!(
                    a.attr.id.as_str(),
                    "startswith" | "is_relative_to" | "relative_to"
                )
                && let Expr::Name(n) = &*a.value
            {
                self.path.insert(n.id.as_str());
            }
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_expr(self, expr);
        });
    }
}
