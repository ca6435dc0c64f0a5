//! # DJG109: Server-side request to a URL taken from the request (SSRF)
//!
//! ## What it does
//! Follows request data into the URL of outgoing HTTP requests: `requests.get/post/...`,
//! `requests.request`, `httpx.get/post/...`, `urllib.request.urlopen()` and
//! `urllib.request.Request()`. Only proven flows are reported, and not when the URL is a
//! formatted string whose constant prefix already fixes the scheme and host
//! (`f"https://api.example.com/search?q={q}"`) or when user data only goes into `params=`.
//!
//! ## Why is this bad?
//! The server fetches whatever the client names, from inside your network: cloud metadata
//! endpoints (`http://169.254.169.254/` hands out credentials), admin interfaces on
//! localhost, internal services without authentication.
//!
//! ## Example
//! ```python
//! def preview(request):
//!     page = requests.get(request.GET["url"], timeout=5)
//! ```
//!
//! ## Fix
//! Keep the host fixed and put user data in the path or `params=`; if users must supply URLs,
//! allow-list schemes and hosts, resolve the name and refuse private, loopback and link-local
//! addresses before connecting, and do not follow redirects blindly.
//!
//! ## References
//! - OWASP Server Side Request Forgery Prevention Cheat Sheet
//! - CWE-918: Server-Side Request Forgery

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::Severity;
use crate::python::ast::{self, Expr};
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG109",
        title: "Server-side request to a URL taken from the request (SSRF)",
        severity: Severity::High,
        cwe: Some(918),
        groups: &["code"],
    },
    names: &[
        "get", "post", "put", "patch", "delete", "head", "options", "request", "urlopen", "Request",
    ],
    sinks,
    fix: "Keep the scheme and host constant and pass user data in params=; if users supply URLs, allow-list hosts and refuse private and link-local addresses.",
};

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let Some(q) = site.qualname else { return };
    let (module, func) = q.rsplit_once('.').unwrap_or(("", q));
    let arg = match (module, func) {
        ("requests" | "httpx", f) if VERBS.contains(&f) => ArgRef::PosOrKw(0, "url"),
        ("requests" | "httpx", "request") => ArgRef::PosOrKw(1, "url"),
        ("urllib.request", "urlopen" | "Request") => ArgRef::PosOrKw(0, "url"),
        _ => return,
    };
    let url = match arg {
        ArgRef::PosOrKw(i, name) => site.call.arguments.args.get(i).or(site.keyword(name)),
        _ => None,
    };
    if url.is_some_and(fixed_host) {
        return;
    }
    out.push(Sink {
        rule: &RULE.meta,
        name: format!("{q}()"),
        args: vec![arg],
        low: Low::Never,
        checked: Checked::Nothing,
    });
}

/// A URL whose constant beginning already names the scheme and the host.
fn fixed_host(expr: &Expr) -> bool {
    let prefix = match expr {
        Expr::FString(f) => {
            let mut p = String::new();
            'outer: for part in f.value.iter() {
                match part {
                    ast::FStringPart::Literal(l) => p.push_str(&l.value),
                    ast::FStringPart::FString(fs) => {
                        for el in &fs.elements {
                            match el {
                                ast::InterpolatedStringElement::Literal(l) => p.push_str(&l.value),
                                ast::InterpolatedStringElement::Interpolation(_) => break 'outer,
                            }
                        }
                    }
                }
            }
            p
        }
        Expr::BinOp(b) => match &*b.left {
            Expr::StringLiteral(s) => s.value.to_str().to_string(),
            other => return fixed_host(other),
        },
        Expr::Call(c) => match &*c.func {
            Expr::Attribute(a) if a.attr.id.as_str() == "format" => match &*a.value {
                Expr::StringLiteral(s) => {
                    s.value.to_str().split('{').next().unwrap_or("").to_string()
                }
                _ => return false,
            },
            _ => return false,
        },
        _ => return false,
    };
    match prefix.split_once("://") {
        Some((scheme, rest)) => !scheme.is_empty() && rest.contains('/') && !rest.starts_with('/'),
        None => false,
    }
}
