//! # DJG114: Password stored without hashing
//!
//! ## What it does
//! Finds a user's `password` field set directly: `user.password = value`,
//! `User.objects.create(..., password=value)`, `User(password=value)` and
//! `.update(password=value)` on a user model, when the value is not the result of
//! `make_password()`. The receiver must look like a user (`user`, `account`, `member`,
//! `profile`, `customer`), and the model like a user model (`User`, `get_user_model()`, a
//! class named `...User` or `...Account`).
//!
//! ## Why is this bad?
//! Django expects the `password` column to hold `algorithm$iterations$salt$hash`. A raw
//! value is stored in clear text, readable by anyone who sees the database or a backup, and
//! the user cannot even log in with it.
//!
//! ## Example
//! ```python
//! user = User.objects.create(username=data["username"], password=data["password"])
//! ```
//!
//! ## Fix
//! `User.objects.create_user(username, email, password)`, `user.set_password(raw)` followed by
//! `user.save()`, or `password=make_password(raw)`.
//!
//! ## References
//! - Django documentation: Password management → Manually managing a user's password
//! - CWE-256: Plaintext Storage of a Password

use super::support::{last, words};
use super::{Hit, PatternRule};
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{Expr, Stmt};
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG114",
        title: "Password stored without hashing",
        severity: Severity::High,
        cwe: Some(256),
        groups: &["code"],
    },
    check,
};

const FIX: &str = "Use User.objects.create_user(...), user.set_password(raw) then save(), or password=make_password(raw).";

fn userish(text: &str) -> bool {
    words(text).iter().any(|w| {
        matches!(
            w.as_str(),
            "user" | "users" | "account" | "member" | "profile" | "customer" | "u" | "usr"
        )
    })
}

fn user_model(text: &str) -> bool {
    let t = text.split('.').next().unwrap_or(text);
    t == "User"
        || t.ends_with("User")
        || t.ends_with("Account")
        || t.starts_with("get_user_model()")
}

fn hashed(ix: &Index, file: usize, v: &Expr) -> bool {
    match v {
        Expr::Call(c) => {
            ix.qualname(file, &c.func)
                .is_some_and(|q| matches!(last(&q), "make_password" | "hash_password" | "encode"))
                || matches!(&*c.func, Expr::Attribute(a) if a.attr.id.as_str() == "encode" && ix.text(file, a.value.range()).contains("hasher"))
        }
        Expr::StringLiteral(s) => {
            let t = s.value.to_str();
            t.is_empty() || t.starts_with('!') || t.contains('$')
        }
        Expr::NoneLiteral(_) => true,
        // Copies of another stored password (`a.password = b.password`) are already hashed.
        Expr::Attribute(a) => a.attr.id.as_str() == "password",
        _ => false,
    }
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, info) in ix.files.iter().enumerate() {
        if info.parsed.is_none() {
            continue;
        }
        if ix.rel(file).contains("migrations/") {
            continue;
        }
        ix.each_stmt(file, &mut |s| {
            let Stmt::Assign(a) = s else { return };
            for t in &a.targets {
                if let Expr::Attribute(attr) = t
                    && attr.attr.id.as_str() == "password"
                    && userish(ix.text(file, attr.value.range()))
                    && !hashed(ix, file, &a.value)
                {
                    let who = ix.text(file, attr.value.range());
                    out.push(Hit {
                        file,
                        range: a.range,
                        message: format!("{who}.password is set to a raw value; Django stores whatever is assigned, in clear text."),
                        fix: FIX.into(),
                        key: format!("{who}.password"),
                        confidence: Confidence::High,
                    });
                }
            }
        });
        ix.each_expr(file, &mut |e| {
            let Expr::Call(c) = e else { return };
            let Some(pw) = c
                .arguments
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "password"))
            else {
                return;
            };
            if hashed(ix, file, &pw.value) {
                return;
            }
            let func = ix.text(file, c.func.range());
            let (model, how) = match &*c.func {
                Expr::Attribute(a)
                    if matches!(
                        a.attr.id.as_str(),
                        "create" | "update" | "get_or_create" | "update_or_create"
                    ) =>
                {
                    (ix.text(file, a.value.range()), a.attr.id.as_str())
                }
                Expr::Name(n) if n.id.as_str().starts_with(char::is_uppercase) => {
                    (func, "constructor")
                }
                Expr::Attribute(a) if a.attr.id.as_str().starts_with(char::is_uppercase) => {
                    (func, "constructor")
                }
                _ => return,
            };
            if !user_model(model) {
                return;
            }
            out.push(Hit {
                file,
                range: c.range(),
                message: format!("{func}() stores password= as given ({how}), in clear text; Django does not hash it on save."),
                fix: FIX.into(),
                key: format!("{func}:password"),
                confidence: Confidence::High,
            });
        });
    }
}
