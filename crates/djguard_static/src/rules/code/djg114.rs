//! # DJG114: Password stored without hashing
//!
//! ## What it does
//! Finds a user's `password` field set directly: `user.password = value`,
//! `User.objects.create(..., password=value)`, `User(password=value)` and
//! `.update(password=value)` on a user model, when the value is not the result of
//! `make_password()` or a string already in Django's stored-hash format
//! (`"sha1$%s$%s" % (salt, hash)`).
//!
//! A user model is `get_user_model()`, `django.contrib.auth.models.User`, a subclass of
//! `AbstractBaseUser`/`AbstractUser` (through project classes), or the user an auth call
//! returns (`request.user`, `authenticate()`): those findings are high confidence. A project
//! model that merely has a `password` field, or a receiver only named like a user (`user`,
//! `account`) whose origin djguard cannot see, is low confidence: such a model often holds the
//! password of an outside service, which must be stored reversibly. An object that comes
//! from something other than a model (a REST client's record, a plain class) is not reported.
//! A value copied from the `password` entry of a record that is not request data
//! (`row["password"]` of an imported dump) may already be a stored hash: medium at most.
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

use crate::code::ids::FileId;
use rustc_hash::FxHashMap as HashMap;

use super::support::{enclosing_func, last, local_values, words};
use super::{Hit, InFile, PatternRule};
use crate::code::index::{Def, Index};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{Expr, Operator, Stmt};
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

fn user_base(b: &str) -> bool {
    matches!(
        b,
        "django.contrib.auth.models.AbstractUser"
            | "django.contrib.auth.models.AbstractBaseUser"
            | "django.contrib.auth.models.User"
            | "django.contrib.auth.base_user.AbstractBaseUser"
    )
}

/// What a model expression (`User`, `get_user_model()`, `Account`) is known to be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Model {
    /// Django's user model or a subclass of its abstract users.
    User,
    /// A model guessed from its name or its `password` field.
    Guess,
    /// Something else that can be seen (a project class that is no model of a user).
    Other,
    Unknown,
}

fn model_kind(ix: &Index, file: FileId, model: &Expr) -> Model {
    if let Expr::Call(c) = model
        && ix
            .qualname(file, &c.func)
            .is_some_and(|q| last(&q) == "get_user_model")
    {
        return Model::User;
    }
    let text = ix.text(file, model.range());
    if text.contains("AUTH_USER_MODEL") {
        return Model::User;
    }
    if let Some(q) = ix.qualname(file, model)
        && user_base(&q)
    {
        return Model::User;
    }
    if let Some(Def::Class(cid)) = ix.resolve_def(file, model) {
        if ix.inherits(cid, &|b| user_base(b)) {
            return Model::User;
        }
        if ix.class_attr(cid, "password").is_some() {
            return Model::Guess;
        }
        return Model::Other;
    }
    let t = text.rsplit('.').next().unwrap_or(text);
    if t == "User" {
        Model::User
    } else if t.ends_with("User") || t.ends_with("Account") {
        Model::Guess
    } else {
        Model::Unknown
    }
}

/// What an object expression is, from where it comes: a query or constructor of a model, the
/// request's user, a user an auth call returns.
fn object_kind(
    ix: &Index,
    file: FileId,
    e: &Expr,
    locals: &HashMap<&str, Vec<&Expr>>,
    depth: u8,
) -> Model {
    let text = ix.text(file, e.range());
    if text == "request.user" || text.ends_with(".request.user") {
        return Model::User;
    }
    match e {
        Expr::Name(n) if depth < 4 => {
            let Some(vals) = locals.get(n.id.as_str()) else {
                return Model::Unknown;
            };
            // The most telling origin among the assignments.
            let kinds: Vec<Model> = vals
                .iter()
                .map(|v| object_kind(ix, file, v, locals, depth + 1))
                .collect();
            for k in [Model::User, Model::Guess, Model::Unknown, Model::Other] {
                if kinds.contains(&k) {
                    return k;
                }
            }
            Model::Unknown
        }
        Expr::Call(c) => {
            let q = ix.qualname(file, &c.func).unwrap_or_default();
            if matches!(last(&q), "authenticate" | "get_user")
                && q.starts_with("django.contrib.auth")
            {
                return Model::User;
            }
            if matches!(last(&q), "get_object_or_404" | "get_list_or_404") {
                return c
                    .arguments
                    .args
                    .first()
                    .map_or(Model::Unknown, |m| model_kind(ix, file, m));
            }
            match &*c.func {
                // `Model.objects.get(...)`, `Model.objects.filter(...).first()`.
                Expr::Attribute(a) => {
                    let mut recv = &*a.value;
                    loop {
                        match recv {
                            Expr::Attribute(x) if x.attr.id.as_str() == "objects" => {
                                return model_kind(ix, file, &x.value);
                            }
                            Expr::Attribute(x) => recv = &x.value,
                            Expr::Call(x) => match &*x.func {
                                Expr::Attribute(f) => recv = &f.value,
                                _ => break,
                            },
                            _ => break,
                        }
                    }
                    if a.attr.id.as_str().starts_with(char::is_uppercase) {
                        return model_kind(ix, file, &c.func);
                    }
                    // A method of some other object (a REST client's `get_user()`): not a model.
                    let model_method = matches!(
                        a.attr.id.as_str(),
                        "save"
                            | "get"
                            | "first"
                            | "last"
                            | "create"
                            | "get_or_create"
                            | "update_or_create"
                            | "earliest"
                            | "latest"
                            | "get_object"
                    );
                    let on_self = matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self");
                    if !model_method
                        && !on_self
                        && ix.resolve_def(file, &c.func).is_none()
                        && !ix.may_be_project(file, &c.func)
                    {
                        return Model::Other;
                    }
                    Model::Unknown
                }
                Expr::Name(n) if n.id.as_str().starts_with(char::is_uppercase) => {
                    model_kind(ix, file, &c.func)
                }
                _ => Model::Unknown,
            }
        }
        _ => Model::Unknown,
    }
}

fn hashed(ix: &Index, file: FileId, v: &Expr) -> bool {
    match v {
        Expr::Call(c) => {
            ix.qualname(file, &c.func)
                .is_some_and(|q| matches!(last(&q), "make_password" | "hash_password" | "encode"))
                || matches!(&*c.func, Expr::Attribute(a) if a.attr.id.as_str() == "encode" && ix.text(file, a.value.range()).contains("hasher"))
                // `"$".join([algorithm, salt, hash])`
                || matches!(&*c.func, Expr::Attribute(a) if a.attr.id.as_str() == "join" && matches!(&*a.value, Expr::StringLiteral(s) if s.value.to_str() == "$"))
                // `"{}${}${}".format(algorithm, salt, hash)`
                || matches!(&*c.func, Expr::Attribute(a) if a.attr.id.as_str() == "format" && matches!(&*a.value, Expr::StringLiteral(s) if stored_hash_template(s.value.to_str())))
        }
        Expr::StringLiteral(s) => {
            let t = s.value.to_str();
            t.is_empty() || t.starts_with('!') || t.contains('$')
        }
        // `"sha1$%s$%s" % (salt, hash)`: already in Django's stored format.
        Expr::BinOp(b) if matches!(b.op, Operator::Mod) => {
            matches!(&*b.left, Expr::StringLiteral(s) if stored_hash_template(s.value.to_str()))
        }
        // `f"pbkdf2_sha256${iterations}${salt}${hash}"`
        Expr::FString(_) => {
            let t = ix.text(file, v.range());
            t.matches('$').count() >= 2
        }
        Expr::NoneLiteral(_) => true,
        // Copies of another stored password (`a.password = b.password`) are already hashed.
        Expr::Attribute(a) => a.attr.id.as_str() == "password",
        _ => false,
    }
}

/// The `password` entry of a record that is not request data (`row["password"]`,
/// `line.get("password")` over an imported dump): it may already hold Django's stored hash,
/// so storing it as given is not proven to be clear text.
fn copied_record_password(ix: &Index, file: FileId, v: &Expr) -> bool {
    let (record, key) = match v {
        Expr::Subscript(s) => (&*s.value, &*s.slice),
        Expr::Call(c) => match (&*c.func, c.arguments.args.first()) {
            (Expr::Attribute(a), Some(k)) if a.attr.id.as_str() == "get" => (&*a.value, k),
            _ => return false,
        },
        _ => return false,
    };
    let record = ix.text(file, record.range()).to_ascii_lowercase();
    matches!(key, Expr::StringLiteral(k) if k.value.to_str() == "password")
        && ![
            "request",
            "post",
            "data",
            "form",
            "cleaned",
            "validated",
            "params",
            "payload",
            "body",
            "json",
        ]
        .iter()
        .any(|w| record.contains(w))
}

/// `algorithm$...$...`: a template of Django's stored-hash format.
fn stored_hash_template(t: &str) -> bool {
    t.matches('$').count() >= 2
}

fn confidence(kind: Model) -> Option<Confidence> {
    match kind {
        Model::User => Some(Confidence::High),
        Model::Guess | Model::Unknown => Some(Confidence::Low),
        Model::Other => None,
    }
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, _, _) in ix.parsed_files() {
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
                    let locals = enclosing_func(ix, file, a.range)
                        .map(|f| local_values(&ix.funcs[f].def.body))
                        .unwrap_or_default();
                    let Some(confidence) = confidence(object_kind(ix, file, &attr.value, &locals, 0)) else {
                        continue;
                    };
                    let who = ix.text(file, attr.value.range());
                    out.push(Hit {
                        at: InFile { file, range: a.range },
                        message: format!("{who}.password is set to a raw value; Django stores whatever is assigned, in clear text."),
                        fix: FIX.into(),
                        key: format!("{who}.password"),
                        confidence,
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
                    (&*a.value, a.attr.id.as_str())
                }
                Expr::Name(n) if n.id.as_str().starts_with(char::is_uppercase) => {
                    (&*c.func, "constructor")
                }
                Expr::Attribute(a) if a.attr.id.as_str().starts_with(char::is_uppercase) => {
                    (&*c.func, "constructor")
                }
                _ => return,
            };
            // `User.objects`, `User.objects.filter(...)`: the model before the manager.
            let mut m = model;
            loop {
                match m {
                    Expr::Attribute(x) if x.attr.id.as_str() == "objects" => {
                        m = &x.value;
                        break;
                    }
                    Expr::Attribute(x) if how != "constructor" => m = &x.value,
                    Expr::Call(x) if how != "constructor" && !matches!(&*x.func, Expr::Name(_)) => m = &x.func,
                    _ => break,
                }
            }
            let kind = model_kind(ix, file, m);
            let kind = if kind == Model::Unknown { Model::Other } else { kind };
            let Some(mut confidence) = confidence(kind) else { return };
            if copied_record_password(ix, file, &pw.value) {
                confidence = confidence.min(Confidence::Medium);
            }
            out.push(Hit {
                at: InFile { file, range: c.range() },
                message: format!("{func}() stores password= as given ({how}), in clear text; Django does not hash it on save."),
                fix: FIX.into(),
                key: format!("{func}:password"),
                confidence,
            });
        });
    }
}
