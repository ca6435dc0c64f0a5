//! # DJG210: Filter declared `is_safe=True` puts its argument into the output unescaped
//!
//! ## What it does
//! Finds custom template filters registered with `is_safe=True` that build their result from
//! the filter's argument (`{{ value|wrap:arg }}`) with string formatting (f-strings, `%`,
//! `.format()`, `+`, `join`) without escaping the argument first (`escape()`,
//! `conditional_escape()`, `format_html()`).
//!
//! ## Why is this bad?
//! `is_safe=True` tells Django: "when the input is safe, so is my output". Django then keeps
//! the result unescaped for safe input, but only the input is checked; an argument added to
//! the output is printed as HTML, so `{{ page.body|richtext|wrap:request.GET.tag }}` injects
//! whatever the argument holds.
//!
//! ## Example
//! ```python
//! @register.filter(is_safe=True)
//! def wrap(value, tag):
//!     return f"<{tag}>{value}</{tag}>"
//! ```
//!
//! ## Fix
//! Escape the argument (`conditional_escape(tag)`) or build the result with `format_html()`;
//! or drop `is_safe=True` and let Django escape the whole result.
//!
//! ## References
//! - Django documentation: How to create custom template tags and filters → Filters and
//!   auto-escaping
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use crate::code::ids::FileId;
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{self, Expr, Stmt};
use crate::rules::RuleMeta;
use crate::rules::code::{Hit, InFile, PatternRule};

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG210",
        title: "is_safe=True filter puts its argument into the output unescaped",
        severity: Severity::Medium,
        cwe: Some(79),
        groups: &["templates"],
    },
    check,
};

const FIX: &str = "Escape the argument with conditional_escape() or build the result with format_html(); or drop is_safe=True.";

/// Calls that escape what they are given.
const ESCAPERS: &[&str] = &[
    "escape",
    "conditional_escape",
    "force_escape",
    "format_html",
    "format_html_join",
    "escapejs",
    "urlencode",
    "quote",
    "iriencode",
    "int",
    "float",
];

fn is_safe_filter(ix: &Index, file: FileId, def: &ast::StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|d| {
        let Expr::Call(c) = &d.expression else {
            return false;
        };
        ix.text(file, c.func.range()).ends_with("filter")
            && c.arguments.keywords.iter().any(|k| {
                k.arg.as_ref().is_some_and(|a| a.id.as_str() == "is_safe")
                    && matches!(&k.value, Expr::BooleanLiteral(b) if b.value)
            })
    })
}

/// Whether `expr` builds a string in which `arg` appears outside any escaping call.
fn interpolates(expr: &Expr, arg: &str) -> bool {
    let mut found = false;
    let mut building = false;
    visit(expr, arg, &mut found, &mut building);
    found && building
}

fn visit(expr: &Expr, arg: &str, found: &mut bool, building: &mut bool) {
    match expr {
        Expr::Name(n) if n.id.as_str() == arg => *found = true,
        Expr::Call(c) => {
            let callee = match &*c.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.id.as_str(),
                _ => "",
            };
            if ESCAPERS.contains(&callee) {
                return;
            }
            if matches!(callee, "format" | "join" | "mark_safe") {
                *building = true;
            }
            visit(&c.func, arg, found, building);
            for a in &c.arguments.args {
                visit(a, arg, found, building);
            }
            for k in &c.arguments.keywords {
                visit(&k.value, arg, found, building);
            }
        }
        Expr::FString(f) => {
            *building = true;
            for part in f.value.iter() {
                if let ast::FStringPart::FString(fs) = part {
                    for el in &fs.elements {
                        if let ast::InterpolatedStringElement::Interpolation(i) = el {
                            visit(&i.expression, arg, found, building);
                        }
                    }
                }
            }
        }
        Expr::BinOp(b) => {
            if matches!(b.op, ast::Operator::Add | ast::Operator::Mod) {
                *building = true;
            }
            visit(&b.left, arg, found, building);
            visit(&b.right, arg, found, building);
        }
        Expr::If(i) => {
            visit(&i.body, arg, found, building);
            visit(&i.orelse, arg, found, building);
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|e| visit(e, arg, found, building)),
        Expr::List(l) => l.elts.iter().for_each(|e| visit(e, arg, found, building)),
        _ => {}
    }
}

/// `return` statements of a function body (not of nested functions).
pub fn returns<'a>(body: &'a [Stmt], out: &mut Vec<&'a Expr>) {
    for s in body {
        match s {
            Stmt::Return(r) => out.extend(r.value.as_deref()),
            Stmt::If(i) => {
                returns(&i.body, out);
                for c in &i.elif_else_clauses {
                    returns(&c.body, out);
                }
            }
            Stmt::For(f) => returns(&f.body, out),
            Stmt::While(w) => returns(&w.body, out),
            Stmt::With(w) => returns(&w.body, out),
            Stmt::Try(t) => {
                returns(&t.body, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    returns(&h.body, out);
                }
                returns(&t.orelse, out);
                returns(&t.finalbody, out);
            }
            _ => {}
        }
    }
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for f in &ix.funcs {
        if f.class.is_some() || crate::rules::code::support::is_test_file(ix.rel(f.file)) {
            continue;
        }
        if !is_safe_filter(ix, f.file, f.def) {
            continue;
        }
        let p = &f.def.parameters;
        let Some(arg) = p.posonlyargs.iter().chain(p.args.iter()).nth(1) else {
            continue;
        };
        let arg = arg.parameter.name.as_str();
        // `needs_autoescape=True` filters take the flag, not an argument, second.
        if arg == "autoescape" {
            continue;
        }
        // Reassigned from an escaper before use (`tag = conditional_escape(tag)`): escaped.
        let reassigned = f.def.body.iter().any(|s| {
            matches!(s, Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == arg)))
        });
        if reassigned {
            continue;
        }
        let mut rets = Vec::new();
        returns(&f.def.body, &mut rets);
        if let Some(r) = rets.into_iter().find(|r| interpolates(r, arg)) {
            out.push(Hit {
                at: InFile { file: f.file, range: r.range() },
                message: format!(
                    "Filter {}() is registered with is_safe=True but puts its argument `{arg}` into the result unescaped: for safe input Django prints the result as HTML, argument included.",
                    f.def.name.as_str()
                ),
                fix: FIX.into(),
                key: format!("is-safe:{}", f.qualname),
                confidence: Confidence::Medium,
            });
        }
    }
}
