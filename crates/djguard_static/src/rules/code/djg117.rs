//! # DJG117: TLS certificate verification turned off
//!
//! ## What it does
//! Finds outgoing HTTPS calls that skip certificate checks: `verify=False` on `requests` and
//! `httpx` calls, sessions and clients; `session.verify = False`;
//! `ssl._create_unverified_context()`; `ctx.check_hostname = False`;
//! `ctx.verify_mode = ssl.CERT_NONE`; `cert_reqs="CERT_NONE"`.
//!
//! ## Why is this bad?
//! Without verification anyone on the network path (public Wi-Fi, a compromised router, a
//! cloud neighbour) can impersonate the server, read the API keys and payment data you send,
//! and change the answers.
//!
//! ## Example
//! ```python
//! requests.post(PAYMENT_URL, json=payload, verify=False)
//! ```
//!
//! ## Fix
//! Leave verification on; for a private CA pass its bundle (`verify="/etc/ssl/private-ca.pem"`,
//! `ssl.create_default_context(cafile=...)`).
//!
//! ## References
//! - Requests documentation: SSL Cert Verification
//! - CWE-295: Improper Certificate Validation

use super::support::last;
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{Expr, Stmt};
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG117",
        title: "TLS certificate verification turned off",
        severity: Severity::High,
        cwe: Some(295),
        groups: &["code"],
    },
    check,
};

const FIX: &str = "Leave certificate verification on; for a private CA pass its bundle (verify=\"/path/ca.pem\", ssl.create_default_context(cafile=...)).";

/// An HTTP client call or object: `requests.*`, `httpx.*`, `urllib3.*`, or a receiver named
/// like a session or client (`jwt.decode(..., verify=False)` is not about TLS).
fn http_client(ix: &Index, file: FileId, e: &Expr) -> bool {
    if let Some(q) = ix.qualname(file, e)
        && (q.starts_with("requests")
            || q.starts_with("httpx")
            || q.starts_with("urllib3")
            || q.starts_with("aiohttp"))
    {
        return true;
    }
    let text = ix.text(file, e.range()).to_ascii_lowercase();
    [
        "session",
        "client",
        "http",
        "requests",
        "transport",
        "adapter",
        "pool",
    ]
    .iter()
    .any(|w| text.contains(w))
}

fn is_false(e: &Expr) -> bool {
    matches!(e, Expr::BooleanLiteral(b) if !b.value)
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, _, _) in ix.parsed_files() {
        if super::support::is_test_file(ix.rel(file)) {
            continue;
        }
        let mut hit = |range, what: String| {
            out.push(Hit {
                at: InFile { file, range },
                message: format!("{what} turns TLS certificate verification off, so anyone on the network path can impersonate the server."),
                fix: FIX.into(),
                key: what.clone(),
                confidence: Confidence::High,
            });
        };
        ix.each_expr(file, &mut |e| {
            let Expr::Call(c) = e else { return };
            let unverified = matches!(&*c.func, Expr::Attribute(a) if a.attr.id.as_str() == "_create_unverified_context")
                || matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "_create_unverified_context");
            if unverified
                && ix.qualname(file, &c.func).as_deref() == Some("ssl._create_unverified_context")
            {
                hit(c.range(), "ssl._create_unverified_context()".into());
                return;
            }
            for k in &c.arguments.keywords {
                let Some(arg) = &k.arg else { continue };
                if !matches!(arg.id.as_str(), "verify" | "cert_reqs") {
                    continue;
                }
                let func = ix.text(file, c.func.range());
                match arg.id.as_str() {
                    "verify" if is_false(&k.value) && http_client(ix, file, &c.func) => {
                        hit(
                            c.range(),
                            format!(
                                "{}(verify=False)",
                                func.split_whitespace().collect::<String>()
                            ),
                        );
                    }
                    "cert_reqs" => {
                        let v = ix.text(file, k.value.range());
                        if v.contains("CERT_NONE") {
                            hit(c.range(), format!("{func}(cert_reqs=CERT_NONE)"));
                        }
                    }
                    _ => {}
                }
            }
        });
        ix.each_stmt(file, &mut |s| {
            let Stmt::Assign(a) = s else { return };
            for t in &a.targets {
                let Expr::Attribute(attr) = t else { continue };
                let target = ix.text(file, t.range());
                match attr.attr.id.as_str() {
                    "verify" | "check_hostname"
                        if is_false(&a.value)
                            && (attr.attr.id.as_str() == "check_hostname"
                                || http_client(ix, file, &attr.value)) =>
                    {
                        hit(a.range, format!("{target} = False"));
                    }
                    "verify_mode"
                        if ix
                            .qualname(file, &a.value)
                            .is_some_and(|q| last(&q) == "CERT_NONE") =>
                    {
                        hit(a.range, format!("{target} = ssl.CERT_NONE"));
                    }
                    "_create_default_https_context"
                        if ix
                            .qualname(file, &a.value)
                            .is_some_and(|q| q == "ssl._create_unverified_context") =>
                    {
                        hit(
                            a.range,
                            "ssl._create_default_https_context = ssl._create_unverified_context"
                                .into(),
                        );
                    }
                    _ => {}
                }
            }
        });
    }
}
