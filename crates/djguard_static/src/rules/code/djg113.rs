//! # DJG113: Password hashed with MD5 or SHA-1
//!
//! ## What it does
//! Finds `hashlib.md5()`, `hashlib.sha1()` and `hashlib.new("md5"/"sha1", ...)` applied to a
//! value whose name says it is a password, and `make_password(..., hasher=...)` with an MD5,
//! SHA-1, unsalted or crypt hasher. `usedforsecurity=False` and hashes of other data (cache
//! keys, file contents, ETags) are left alone.
//!
//! ## Why is this bad?
//! MD5 and SHA-1 are fast: a single GPU tries billions of guesses per second, and unsalted
//! hashes fall to precomputed tables. A leaked table of such hashes is a leaked table of
//! passwords.
//!
//! ## Example
//! ```python
//! profile.pin_hash = hashlib.md5(password.encode()).hexdigest()
//! ```
//!
//! ## Fix
//! Let Django hash passwords: `user.set_password(raw)` or `make_password(raw)` with the
//! default hasher (PBKDF2, or Argon2/scrypt in PASSWORD_HASHERS), and check them with
//! `check_password`.
//!
//! ## References
//! - Django documentation: Password management in Django
//! - OWASP Password Storage Cheat Sheet
//! - CWE-916: Use of Password Hash With Insufficient Computational Effort

use super::support::{each_subexpr, last, words};
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::Expr;
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG113",
        title: "Password hashed with MD5 or SHA-1",
        severity: Severity::High,
        cwe: Some(916),
        groups: &["code"],
    },
    check,
};

const FIX: &str = "Hash passwords with user.set_password(raw) or make_password(raw) using Django's default hasher, and verify with check_password.";

fn mentions_password(ix: &Index, file: FileId, e: &Expr) -> Option<String> {
    let mut found = None;
    each_subexpr(e, &mut |x| {
        if found.is_some() {
            return;
        }
        let name = match x {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.id.as_str()),
            Expr::StringLiteral(s) => Some(s.value.to_str()),
            _ => None,
        };
        if let Some(n) = name
            && words(n).iter().any(|w| {
                matches!(
                    w.as_str(),
                    "password" | "passwd" | "pwd" | "passphrase" | "pw"
                )
            })
        {
            found = Some(ix.text(file, e.range()).to_string());
        }
    });
    found
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, _, _) in ix.parsed_files() {
        ix.each_expr(file, &mut |e| {
            let Expr::Call(c) = e else { return };
            // Cheap spelling filter before resolving the callee through the imports.
            let spelled = match &*c.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.id.as_str(),
                _ => return,
            };
            if !matches!(spelled, "md5" | "sha1" | "new" | "make_password") {
                return;
            }
            let Some(q) = ix.qualname(file, &c.func) else {
                return;
            };
            let weak_new = q == "hashlib.new"
                && matches!(c.arguments.args.first(), Some(Expr::StringLiteral(s)) if matches!(s.value.to_str().to_ascii_lowercase().as_str(), "md5" | "sha1" | "md4"));
            let (algo, data) = match q.as_str() {
                "hashlib.md5" | "hashlib.sha1" => (last(&q).to_string(), c.arguments.args.first()),
                _ if weak_new => ("hashlib.new".to_string(), c.arguments.args.get(1)),
                "django.contrib.auth.hashers.make_password" => {
                    let hasher = c
                        .arguments
                        .keywords
                        .iter()
                        .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "hasher"))
                        .map(|k| &k.value)
                        .or(c.arguments.args.get(2));
                    if let Some(Expr::StringLiteral(h)) = hasher
                        && matches!(
                            h.value.to_str(),
                            "md5" | "sha1" | "unsalted_md5" | "unsalted_sha1" | "crypt"
                        )
                    {
                        out.push(Hit {
                            at: InFile { file, range: c.range() },
                            message: format!("make_password() is told to use the \"{}\" hasher, which is fast to brute-force.", h.value.to_str()),
                            fix: FIX.into(),
                            key: format!("make_password:{}", h.value.to_str()),
                            confidence: Confidence::High,
                        });
                    }
                    return;
                }
                _ => return,
            };
            if c.arguments.keywords.iter().any(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|a| a.id.as_str() == "usedforsecurity")
                    && matches!(k.value, Expr::BooleanLiteral(ref b) if !b.value)
            }) {
                return;
            }
            let Some(data) = data else { return };
            if let Some(text) = mentions_password(ix, file, data) {
                out.push(Hit {
                    at: InFile { file, range: c.range() },
                    message: format!("{text} is hashed with {algo}, which is fast and unsalted enough to brute-force."),
                    fix: FIX.into(),
                    key: format!("{algo}:{text}"),
                    confidence: Confidence::High,
                });
            }
        });
    }
}
