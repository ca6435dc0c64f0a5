//! # DJG209: Jinja2 environment without auto-escaping
//!
//! ## What it does
//! Finds Jinja2 environments created in the project's code (`jinja2.Environment(...)`,
//! `SandboxedEnvironment`, `NativeEnvironment`) with `autoescape=False` or with no
//! `autoescape` at all, which in Jinja2 means off. Passing Django's `**options` (the
//! `environment` callable of the Jinja2 backend receives `autoescape=True` in them),
//! `autoescape=True`, or `select_autoescape(...)` is fine. An explicit `False` is high
//! confidence; a missing argument is medium (the environment may render only plain text,
//! such as e-mail bodies). Django's own `TEMPLATES` option `autoescape: False` is DJG015.
//!
//! ## Why is this bad?
//! Unlike Django's engine, Jinja2 does not escape by default. Every `{{ value }}` of an
//! environment without auto-escaping is printed as HTML, so any user data in a page becomes
//! script in it.
//!
//! ## Example
//! ```python
//! from jinja2 import Environment
//!
//! def environment(**options):
//!     return Environment(loader=options["loader"], extensions=options["extensions"])
//! ```
//!
//! ## Fix
//! Pass the backend's options through (`Environment(**options)`), or set
//! `autoescape=select_autoescape(["html", "htm", "xml"])` (or `True`); for plain-text output
//! keep a separate environment and name it so.
//!
//! ## References
//! - Django documentation: Templates → Jinja2 backend (`environment` option)
//! - Jinja2 documentation: API → Autoescaping
//! - CWE-79: Improper Neutralization of Input During Web Page Generation

use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::Expr;
use crate::rules::RuleMeta;
use crate::rules::code::{Hit, InFile, PatternRule};

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG209",
        title: "Jinja2 environment without auto-escaping",
        severity: Severity::High,
        cwe: Some(79),
        groups: &["templates"],
    },
    check,
};

const FIX: &str = "Pass the Jinja2 backend's options through (Environment(**options)) or set autoescape=select_autoescape([\"html\", \"htm\", \"xml\"]).";

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, info, _) in ix.parsed_files() {
        if crate::rules::code::support::is_test_file(ix.rel(file)) {
            continue;
        }
        // Cheap filter before resolving names: the module must mention jinja2.
        if !info.parsed.is_some_and(|p| p.text.contains("jinja2")) {
            continue;
        }
        ix.each_expr(file, &mut |e| {
            let Expr::Call(c) = e else { return };
            let Some(q) = ix.qualname(file, &c.func) else {
                return;
            };
            if !(q.starts_with("jinja2.")
                && matches!(
                    q.rsplit('.').next(),
                    Some("Environment" | "SandboxedEnvironment" | "NativeEnvironment")
                ))
            {
                return;
            }
            let spread = c.arguments.keywords.iter().any(|k| k.arg.is_none());
            let setting = c
                .arguments
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "autoescape"));
            let (message, confidence) = match setting {
                Some(k) if matches!(&k.value, Expr::BooleanLiteral(b) if !b.value) => (
                    "This Jinja2 environment sets autoescape=False: every {{ value }} it renders is printed as raw HTML.",
                    Confidence::High,
                ),
                Some(_) => return,
                // Positional arguments past the eleventh could set it; nobody writes that.
                None if spread || c.arguments.args.len() > 10 => return,
                None => (
                    "This Jinja2 environment does not set autoescape, which Jinja2 leaves off: every {{ value }} it renders is printed as raw HTML.",
                    Confidence::Medium,
                ),
            };
            out.push(Hit {
                at: InFile { file, range: c.range() },
                message: message.into(),
                fix: FIX.into(),
                key: format!("jinja-env:{}", ix.text(file, c.func.range())),
                confidence,
            });
        });
    }
}
