//! # DJG109: Server-side request to a URL taken from the request (SSRF)
//!
//! ## What it does
//! Follows request data into the URL of outgoing HTTP requests: `requests.get/post/...`,
//! `requests.request`, `httpx.get/post/...`, `urllib.request.urlopen()` and
//! `urllib.request.Request()`. Only proven flows are reported, and not when the URL starts
//! with a constant that already fixes the scheme and host (`f"https://api.example.com/search?q={q}"`,
//! also through variables) or when user data only goes into `params=`. A template tag's
//! argument is template data only when some template of the project passes a variable
//! for it.
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
    out.push(Sink {
        rule: &RULE.meta,
        name: format!("{q}()"),
        args: vec![arg],
        low: Low::Never,
        checked: Checked::Nothing,
        origin_only: true,
    });
}
