//! # DJG112: Secret compared with == instead of a constant-time comparison
//!
//! ## What it does
//! Finds `==` and `!=` between a value whose name says it is a secret (token, secret,
//! signature, digest, HMAC, API key, password hash) and another non-constant value.
//! Comparisons with literals, `None`, lengths or a class attribute set to a literal are left
//! alone, as are `hmac.compare_digest()` and `django.utils.crypto.constant_time_compare()`.
//!
//! ## Why is this bad?
//! `==` stops at the first differing byte, so the time it takes tells an attacker how many
//! leading characters of a guess were right. Over many requests a signature or API key can be
//! recovered one character at a time.
//!
//! ## Example
//! ```python
//! def webhook(request):
//!     if request.headers["X-Signature"] != expected_signature:
//!         return HttpResponseForbidden()
//! ```
//!
//! ## Fix
//! `hmac.compare_digest(a, b)` or `django.utils.crypto.constant_time_compare(a, b)`.
//!
//! ## References
//! - Python documentation: hmac.compare_digest
//! - CWE-208: Observable Timing Discrepancy

use super::support::{target_name, words};
use super::{Hit, PatternRule};
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{CmpOp, Expr};
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG112",
        title: "Secret compared with == instead of a constant-time comparison",
        severity: Severity::Medium,
        cwe: Some(208),
        groups: &["code"],
    },
    check,
};

/// The identifier an operand is known by: `x`, `obj.token`, `headers["X-Signature"]`,
/// `compute_signature(...)`.
fn operand_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Call(c) => match &*c.func {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => {
                let m = a.attr.id.as_str();
                if matches!(m, "hexdigest" | "digest") {
                    Some("digest")
                } else if m == "get" {
                    c.arguments.args.first().and_then(|k| match k {
                        Expr::StringLiteral(s) => Some(s.value.to_str()),
                        _ => None,
                    })
                } else {
                    Some(m)
                }
            }
            _ => None,
        },
        other => target_name(other),
    }
}

fn secretish(name: &str) -> bool {
    if !super::support::mentions_any(
        name,
        &[
            "token", "secret", "sig", "digest", "hmac", "mac", "key", "otp", "hash",
        ],
    ) {
        return false;
    }
    let w = words(name);
    let Some(lastw) = w.last() else { return false };
    let has = |s: &str| w.iter().any(|x| x == s);
    match lastw.as_str() {
        "token" | "secret" | "signature" | "sig" | "digest" | "hmac" | "mac" | "apikey" | "otp" => {
            !has("csrf") || has("token")
        }
        "key" => has("api") || has("secret") || has("access") || has("signing"),
        "hash" => has("password") || has("token"),
        _ => false,
    }
}

fn trivial(e: &Expr) -> bool {
    match e {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::List(_)
        | Expr::Tuple(_)
        | Expr::Dict(_) => true,
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Name(n) if matches!(n.id.as_str(), "len" | "type" | "bool" | "int" | "str"))
        }
        _ => false,
    }
}

/// `self.reset_url_token` where a class of the file sets `reset_url_token = "set-password"`:
/// a constant, not a secret.
fn class_constant(ix: &Index, file: usize, e: &Expr) -> bool {
    let Expr::Attribute(a) = e else { return false };
    if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self") {
        return false;
    }
    ix.classes.iter().filter(|c| c.file == file).any(|c| {
        c.attrs
            .get(a.attr.id.as_str())
            .is_some_and(|v| crate::code::index::is_literal(v))
    })
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, info) in ix.files.iter().enumerate() {
        if info.parsed.is_none() {
            continue;
        }
        if super::support::is_test_file(ix.rel(file)) {
            continue;
        }
        ix.each_expr(file, &mut |e| {
            let Expr::Compare(c) = e else { return };
            let ([op], [right]) = (&*c.ops, &*c.comparators) else {
                return;
            };
            if !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
                return;
            }
            let left = &*c.left;
            if trivial(left) || trivial(right) || class_constant(ix, file, left) || class_constant(ix, file, right) {
                return;
            }
            let name = [left, right]
                .into_iter()
                .filter_map(operand_name)
                .find(|n| secretish(n));
            let Some(name) = name else { return };
            out.push(Hit {
                file,
                range: c.range(),
                message: format!(
                    "{name} is compared with {}, which leaks through timing how much of a guess is right.",
                    if matches!(op, CmpOp::Eq) { "==" } else { "!=" }
                ),
                fix: "Compare with hmac.compare_digest(a, b) or django.utils.crypto.constant_time_compare(a, b).".into(),
                key: format!("{}:{}", name, ix.text(file, c.range()).split_whitespace().collect::<String>()),
                confidence: Confidence::Medium,
            });
        });
    }
}
