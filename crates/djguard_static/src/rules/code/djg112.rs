//! # DJG112: Secret compared with == instead of a constant-time comparison
//!
//! ## What it does
//! Finds `==` and `!=` between a value whose name says it is a secret (token, secret,
//! signature, digest, HMAC, API key, password hash) and another non-constant value.
//! Comparisons with literals, `None`, lengths, arithmetic, module, class or enum constants
//! (`signal.SIGUSR1`, `Tag.Signature`, `DEFAULT_KEY`) or a class attribute set to a literal are
//! left alone, as are `hmac.compare_digest()` and `django.utils.crypto.constant_time_compare()`.
//!
//! A name is not enough. The operands are followed through the local assignments of their
//! function, and the finding is medium confidence only when
//! - one side is a secret: derived from SECRET_KEY, an HMAC, `secrets`, `os.urandom`, a TOTP,
//!   a setting or field holding a credential, a project helper that signs or keys, a
//!   credential header or parameter of the request, or a credential kept in the session; and
//! - one side is chosen by the attacker: request data (`request.GET`/`POST`/`headers`/`META`/
//!   `body`/`data`, a form's `cleaned_data`, a serializer's `validated_data`) or a URL argument
//!   of a routed view.
//!
//! A name with only one of the two (or a side coming from a caller djguard does not follow) is
//! low confidence. Not reported at all: both sides computed on the server (a session value
//! against a recomputed one), a content checksum (a digest of data with no key), lock, cache
//! and de-duplication tokens, e-mail signatures, MAC addresses, and a value compared with
//! something derived from itself.
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

use crate::code::ids::FileId;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::support::{
    each_subexpr, enclosing_func, local_values, param_names, reads_request_data, target_name, words,
};
use super::{Hit, InFile, PatternRule};
use crate::code::index::{Def, Index};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{CmpOp, Expr, Operator};
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
            "token", "secret", "sig", "digest", "hmac", "key", "otp", "hash",
        ],
    ) {
        return false;
    }
    let w = words(name);
    let Some(lastw) = w.last() else { return false };
    let has = |s: &str| w.iter().any(|x| x == s);
    match lastw.as_str() {
        "token" | "secret" | "signature" | "sig" | "digest" | "hmac" | "apikey" | "otp" => {
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
        // `token.index + 1`: arithmetic on numbers (a position, a count), not a secret.
        Expr::BinOp(b) => {
            matches!(b.op, Operator::Add | Operator::Sub | Operator::Mult)
                && (matches!(&*b.left, Expr::NumberLiteral(_))
                    || matches!(&*b.right, Expr::NumberLiteral(_)))
        }
        // `signal.SIGUSR1`, `Tag.Signature`, `DEFAULT_KEY`: a module, class or enum constant
        // (settings are the project's configured secrets and stay).
        Expr::Attribute(a) => {
            let base_const = match &*a.value {
                Expr::Name(n) => {
                    let b = n.id.as_str();
                    b != "settings"
                        && b != "self"
                        && b.starts_with(|c: char| c.is_ascii_uppercase())
                }
                _ => false,
            };
            let settings = matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "settings");
            base_const || !settings && all_caps(a.attr.id.as_str())
        }
        Expr::Name(n) => all_caps(n.id.as_str()),
        _ => false,
    }
}

fn all_caps(s: &str) -> bool {
    s.len() > 1
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `self.reset_url_token` where a class of the file sets `reset_url_token = "set-password"`:
/// a constant, not a secret.
fn class_constant(ix: &Index, file: FileId, e: &Expr) -> bool {
    let Expr::Attribute(a) = e else { return false };
    if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self") {
        return false;
    }
    ix.classes.values().filter(|c| c.file == file).any(|c| {
        c.attrs
            .get(a.attr.id.as_str())
            .is_some_and(|v| crate::code::index::is_literal(v))
    })
}

/// Words that say a value is not a secret whatever else its name says: a lock or cache
/// token, a content checksum, an e-mail signature, an HTTP entity tag.
const NOT_SECRET_WORDS: &[&str] = &[
    "lock",
    "cache",
    "checksum",
    "checksums",
    "integrity",
    "email",
    "mail",
    "etag",
    "crc",
];

/// Credential words in a header, parameter or session key (`X-Signature`, `oauth_token`).
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "signature",
    "sig",
    "secret",
    "key",
    "hmac",
    "authorization",
    "password",
    "otp",
    "apikey",
    "state",
];

fn has_credential_word(text: &str) -> bool {
    words(text)
        .iter()
        .any(|w| CREDENTIAL_WORDS.contains(&w.as_str()) || w.ends_with("token"))
}

/// What the operands of a comparison are made of: the operands and, through the local
/// assignments of the enclosing function, every value they were computed from.
struct Origins<'a> {
    exprs: Vec<&'a Expr>,
    /// Names each operand is computed from (to see two operands derived from one input).
    names: Vec<HashSet<&'a str>>,
    /// Per operand, the slice of `exprs` it was computed from.
    spans: Vec<std::ops::Range<usize>>,
    /// A parameter of the function (not `self`/`request`) flows into an operand.
    param: bool,
    /// ...and the function is a view the URL resolver calls, so the parameter is a URL argument.
    url_param: bool,
}

fn origins<'a>(
    ix: &Index<'a>,
    file: FileId,
    range: crate::python::TextRange,
    ops: [&'a Expr; 2],
) -> Origins<'a> {
    let func = enclosing_func(ix, file, range);
    let (locals, params, routed): (HashMap<&'a str, Vec<&'a Expr>>, Vec<&'a str>, bool) = match func
    {
        Some(fid) => {
            let f = &ix.funcs[fid];
            let view_handler = f.class.is_some_and(|c| ix.is_view_class(c))
                && matches!(
                    f.def.name.as_str(),
                    "get" | "post" | "put" | "patch" | "delete"
                );
            (
                local_values(&f.def.body),
                param_names(f.def),
                ix.is_routed(Def::Func(fid)) || view_handler,
            )
        }
        None => (HashMap::default(), Vec::new(), false),
    };
    let mut out = Origins {
        exprs: Vec::new(),
        names: Vec::new(),
        spans: Vec::new(),
        param: false,
        url_param: false,
    };
    for op in ops {
        let start = out.exprs.len();
        let mut seen: HashSet<&'a str> = HashSet::default();
        let mut stack: Vec<&'a Expr> = vec![op];
        let mut budget = 64;
        while let Some(e) = stack.pop() {
            budget -= 1;
            if budget == 0 {
                break;
            }
            out.exprs.push(e);
            each_subexpr(e, &mut |x| {
                let Expr::Name(n) = x else { return };
                let id = n.id.as_str();
                if !seen.insert(id) {
                    return;
                }
                if let Some(vals) = locals.get(id) {
                    stack.extend(vals.iter().copied());
                } else if params.contains(&id) && !matches!(id, "self" | "cls" | "request") {
                    out.param = true;
                    out.url_param |= routed;
                }
            });
        }
        out.names.push(seen);
        out.spans.push(start..out.exprs.len());
    }
    out
}

/// Evidence that a value is a secret: derived from SECRET_KEY, an HMAC, `secrets`,
/// `os.urandom`, a TOTP, a setting or a field holding a credential, a project helper that
/// signs or keys, a credential header or parameter of the request, or a credential kept in the
/// session.
fn secret_evidence(ix: &Index, file: FileId, e: &Expr) -> bool {
    let text = ix.text(file, e.range());
    let lower = text.to_ascii_lowercase();
    if [
        "secret_key",
        "hmac",
        "secrets.",
        "urandom",
        "signer",
        "get_random_string",
        "token_urlsafe",
        "token_hex",
        "pyotp",
        "totp",
        "hotp",
    ]
    .iter()
    .any(|m| lower.contains(m))
    {
        return true;
    }
    let mut found = false;
    each_subexpr(e, &mut |x| {
        if found {
            return;
        }
        match x {
            // `client.api_key`, `user.password_hash`, `settings.LINK_SALT`: a field or
            // setting holding a credential.
            Expr::Attribute(a) => {
                let attr = a.attr.id.as_str();
                let from_settings =
                    matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "settings");
                let signature_or_digest = words(attr)
                    .last()
                    .is_some_and(|w| matches!(w.as_str(), "digest" | "signature" | "sig"));
                found = secretish(attr) && !signature_or_digest
                    || from_settings
                        && (has_credential_word(attr)
                            || words(attr)
                                .iter()
                                .any(|w| matches!(w.as_str(), "salt" | "pepper")));
            }
            // A project function whose body keys or signs (HMAC, SECRET_KEY, a signing secret).
            Expr::Call(c) => {
                if let Some(Def::Func(fid)) = ix.resolve_def(file, &c.func) {
                    let f = &ix.funcs[fid];
                    let body = ix.text(f.file, f.def.range).to_ascii_lowercase();
                    found = ["hmac", "secret", "signing", "signer"]
                        .iter()
                        .any(|m| body.contains(m));
                }
            }
            _ => {}
        }
    });
    if found {
        return true;
    }
    // A credential header or parameter of the request, or a credential kept in the session.
    (reads_request_data(text) || text.contains("session")) && has_credential_word(text)
}

/// A content hash: a digest or checksum computed from data with no key.
fn content_hash(ix: &Index, file: FileId, e: &Expr) -> bool {
    let t = ix.text(file, e.range());
    ["hexdigest", ".digest()", "hashlib.", "hashers", "checksum"]
        .iter()
        .any(|m| t.contains(m))
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (file, _, _) in ix.parsed_files() {
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
            // A lock or cache token, a checksum, an e-mail signature: not a secret.
            if [left, right].into_iter().any(|x| {
                words(ix.text(file, x.range()))
                    .iter()
                    .any(|w| NOT_SECRET_WORDS.contains(&w.as_str()))
            }) {
                return;
            }
            let o = origins(ix, file, c.range(), [left, right]);
            // `body == token` where `body = token.removeprefix(...)`: one input compared with
            // something derived from itself.
            let derived_from_other = |x: &Expr, other: usize| {
                matches!(x, Expr::Name(n) if o.names[other].contains(n.id.as_str()))
            };
            if derived_from_other(left, 1) || derived_from_other(right, 0) {
                return;
            }
            // A credential parameter of the request: `data["api_token"]` where `data` is
            // request data (a serializer's `validated_data`, a parsed body).
            let credential_param = [left, right].into_iter().enumerate().any(|(i, x)| {
                matches!(x, Expr::Subscript(_) | Expr::Call(_))
                    && operand_name(x).is_some_and(secretish)
                    && o.spans.get(i).is_some_and(|r| {
                        o.exprs[r.clone()]
                            .iter()
                            .any(|y| reads_request_data(ix.text(file, y.range())))
                    })
            });
            let secret =
                credential_param || o.exprs.iter().any(|x| secret_evidence(ix, file, x));
            // A digest of content with no key material is an integrity check, not a secret.
            if !secret && o.exprs.iter().any(|x| content_hash(ix, file, x)) {
                return;
            }
            let attacker = o.url_param
                || o.exprs.iter().any(|x| reads_request_data(ix.text(file, x.range())));
            let confidence = if attacker && secret {
                Confidence::Medium
            } else if attacker || o.param {
                // The name is the only evidence of a secret, or the other side comes from a
                // caller djguard does not follow.
                Confidence::Low
            } else {
                // Both sides are computed on the server (a session value against a recomputed
                // one, a stored value against a fresh one): nothing an attacker can time.
                return;
            };
            out.push(Hit {
                at: InFile { file, range: c.range() },
                message: format!(
                    "{name} is compared with {}, which leaks through timing how much of a guess is right.",
                    if matches!(op, CmpOp::Eq) { "==" } else { "!=" }
                ),
                fix: "Compare with hmac.compare_digest(a, b) or django.utils.crypto.constant_time_compare(a, b).".into(),
                key: format!("{}:{}", name, ix.text(file, c.range()).split_whitespace().collect::<String>()),
                confidence,
            });
        });
    }
}
