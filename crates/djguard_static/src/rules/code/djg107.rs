//! # DJG107: eval, exec or compile of request data (code injection)
//!
//! ## What it does
//! Follows request data into the builtins `eval()`, `exec()` and `compile()`. A proven flow is
//! high confidence; a non-constant argument that djguard cannot trace to a request is low
//! confidence. `ast.literal_eval()`, `re.compile()` and methods called `eval` are different
//! functions and are not reported.
//!
//! ## Why is this bad?
//! `eval` runs whatever Python it is given: `__import__("os").system("...")` in a query
//! parameter is remote code execution, with access to the database credentials and
//! SECRET_KEY in memory.
//!
//! ## Example
//! ```python
//! def calc(request):
//!     return HttpResponse(str(eval(request.GET["expr"])))
//! ```
//!
//! ## Fix
//! Parse data with a parser made for it: `ast.literal_eval()` for Python literals,
//! `json.loads()` for JSON, `int()`/`Decimal()` for numbers; map allowed names to functions
//! in a dict instead of evaluating them.
//!
//! ## References
//! - Python documentation: ast.literal_eval
//! - OWASP Code Injection
//! - CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG107",
        title: "eval, exec or compile of request data (code injection)",
        severity: Severity::Critical,
        cwe: Some(95),
        groups: &["code"],
    },
    names: &["eval", "exec", "compile"],
    sinks,
    fix: "Parse the data instead of running it: ast.literal_eval() for literals, json.loads() for JSON, a dict of allowed operations for names.",
};

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let name = match site.qualname {
        Some("builtins.eval") => "eval()",
        Some("builtins.exec") => "exec()",
        Some("builtins.compile") => "compile()",
        _ => return,
    };
    out.push(Sink {
        rule: &RULE.meta,
        name: name.to_string(),
        args: vec![ArgRef::PosOrKw(0, "source")],
        low: Low::NonConstant,
        checked: Checked::Nothing,
        origin_only: false,
    });
}
