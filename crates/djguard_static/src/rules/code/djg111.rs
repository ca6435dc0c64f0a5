//! # DJG111: Predictable random numbers used for a secret
//!
//! ## What it does
//! Finds values from the `random` module (`random.random`, `randint`, `randrange`, `choice`,
//! `choices`, `sample`, `getrandbits`) assigned to a name that says it is a secret (token,
//! secret, password, OTP, nonce, salt, API key, reset/activation/verification code, PIN) or
//! returned from a function whose name says so. `random.SystemRandom()`, `secrets` and
//! Django's `get_random_string` are not reported; neither is `random` used for anything else.
//! A nonce or a salt alone is medium confidence (high in a module about Content-Security-Policy):
//! some uses need it unpredictable (a CSP or OpenID Connect nonce), many only unique (a salt stored beside its hash, an API nonce sent
//! in clear beside a signature).
//!
//! ## Why is this bad?
//! `random` is a Mersenne Twister: after about 624 outputs an observer can compute every
//! later one, and seeds are often guessable. Password-reset tokens, OTPs and API keys made
//! with it can be predicted.
//!
//! ## Example
//! ```python
//! def make_reset_code():
//!     return "".join(random.choice(string.digits) for _ in range(6))
//! ```
//!
//! ## Fix
//! Use `secrets.token_urlsafe()`, `secrets.choice()`, `secrets.randbelow()` or
//! `django.utils.crypto.get_random_string()`.
//!
//! ## References
//! - Python documentation: random (the warning) and secrets
//! - CWE-330: Use of Insufficiently Random Values

use super::support::{each_stmt, each_subexpr, target_name, words};
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{Expr, Stmt};
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG111",
        title: "Predictable random numbers used for a secret",
        severity: Severity::Medium,
        cwe: Some(330),
        groups: &["code"],
    },
    check,
};

const RANDOM: &[&str] = &[
    "random.random",
    "random.randint",
    "random.randrange",
    "random.choice",
    "random.choices",
    "random.sample",
    "random.getrandbits",
    "random.randbytes",
    "random.uniform",
];

/// A name that says it holds a secret.
pub fn secret_name(name: &str) -> bool {
    if !super::support::mentions_any(
        name,
        &[
            "token", "secret", "pass", "pwd", "otp", "nonce", "salt", "key", "pin", "code",
        ],
    ) {
        return false;
    }
    let w = words(name);
    let has = |s: &str| w.iter().any(|x| x == s);
    [
        "token", "secret", "password", "passwd", "pwd", "otp", "nonce", "salt", "apikey", "pin",
        "passcode",
    ]
    .iter()
    .any(|s| has(s))
        || (has("key")
            && (has("api") || has("secret") || has("access") || has("private") || has("signing")))
        || (has("code")
            && [
                "reset",
                "activation",
                "verification",
                "verify",
                "confirm",
                "confirmation",
                "auth",
                "otp",
                "invite",
                "invitation",
                "login",
                "sms",
                "email",
            ]
            .iter()
            .any(|s| has(s)))
}

fn random_call(ix: &Index, file: FileId, e: &Expr) -> Option<String> {
    let mut found = None;
    each_subexpr(e, &mut |x| {
        if found.is_none()
            && let Expr::Call(c) = x
            && let Some(q) = ix.qualname(file, &c.func)
            && RANDOM.contains(&q.as_str())
        {
            found = Some(q);
        }
    });
    found
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, info, _) in ix.parsed_files() {
        if super::support::is_test_file(ix.rel(file)) {
            continue;
        }
        // A module about Content-Security-Policy: its nonces must be unpredictable.
        let csp = info.parsed.is_some_and(|p| {
            let lower = p.text.to_ascii_lowercase();
            lower.contains("csp") || lower.contains("content-security-policy")
        });
        ix.each_stmt(file, &mut |s| {
            let (targets, value): (Vec<&Expr>, Option<&Expr>) = match s {
                Stmt::Assign(a) => (a.targets.iter().collect(), Some(&a.value)),
                Stmt::AnnAssign(a) => (vec![&*a.target], a.value.as_deref()),
                _ => (Vec::new(), None),
            };
            if let Some(v) = value {
                for t in targets {
                    if let Some(name) = target_name(t)
                        && secret_name(name)
                        && let Some(q) = random_call(ix, file, v)
                    {
                        out.push(hit(file, v.range(), name, &q, csp));
                    }
                }
            }
            if let Stmt::FunctionDef(f) = s
                && secret_name(f.name.as_str())
            {
                each_stmt(&f.body, &mut |r| {
                    if let Stmt::Return(r) = r
                        && let Some(v) = &r.value
                        && let Some(q) = random_call(ix, file, v)
                    {
                        out.push(hit(file, v.range(), f.name.as_str(), &q, csp));
                    }
                });
            }
        });
    }
}

fn hit(file: FileId, range: crate::python::TextRange, name: &str, q: &str, csp: bool) -> Hit {
    Hit {
        at: InFile { file, range },
        message: format!(
            "{name} is made with {q}(), whose output can be predicted; secrets need the secrets module."
        ),
        fix: "Use secrets.token_urlsafe(), secrets.choice() or django.utils.crypto.get_random_string().".into(),
        key: format!("{name}:{q}"),
        // Only a nonce or a salt: some uses need it unpredictable (a CSP or OpenID Connect
        // nonce), many only unique (a salt stored beside its hash, an API nonce sent in clear
        // beside a signature).
        confidence: if uniqueness_only(name) && !csp {
            Confidence::Medium
        } else {
            Confidence::High
        },
    }
}

/// A name whose only secret word is `nonce` or `salt`.
fn uniqueness_only(name: &str) -> bool {
    let w = words(name);
    w.iter().any(|x| x == "nonce" || x == "salt")
        && !secret_name(
            &w.iter()
                .filter(|x| *x != "nonce" && *x != "salt")
                .cloned()
                .collect::<Vec<_>>()
                .join("_"),
        )
}
