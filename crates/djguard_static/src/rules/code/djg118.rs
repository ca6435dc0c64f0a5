//! # DJG118: Credential hard-coded in code
//!
//! ## What it does
//! Finds credentials written into Python code outside settings modules and tests: string
//! literals with the shape of a known token anywhere (AWS access key ids, GitHub, Slack, live
//! Stripe, Google API and SendGrid keys, PEM private keys), and literals of 8 or more
//! characters assigned to a variable, attribute, keyword argument or dict key named
//! password, passwd, secret, api_key, access_key, secret_key, private_key, client_secret,
//! auth_token, access_token or api_token. Placeholders (`changeme`, `your-api-key`,
//! `<password>`, `xxx`, a value that only repeats the name such as
//! `consumer_secret = "consumer-secret"`) and values read from the environment are left alone;
//! settings modules (also `*_settings.py` used only to build or test the package) are DJG016's.
//! Not reported either: code after an unconditional `raise` (a template nobody runs), test
//! code (`test.py` helper modules, `TestCase` subclasses anywhere) and functions that build
//! sample or preview data (`sample_orders()`, `dummy_user()`), tables of sample records (a
//! list of two or more dicts) and the URL arguments of a link being reversed
//! (`reverse(..., kwargs={"secret": ...})`).
//!
//! ## Why is this bad?
//! Code is copied, forked, pasted into tickets and packaged into images; a credential in it
//! is readable by everyone who ever sees any of those, and stays valid until rotated.
//!
//! ## Example
//! ```python
//! s3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key=SECRET)
//! ```
//!
//! ## Fix
//! Read credentials from the environment or a secrets manager (`os.environ["API_TOKEN"]`,
//! `settings.API_TOKEN` filled from the environment), rotate the one that was committed, and
//! remove it from the history.
//!
//! ## References
//! - OWASP Secrets Management Cheat Sheet
//! - CWE-798: Use of Hard-coded Credentials

use super::support::{is_settings_file, is_test_file, last, target_name, words};
use super::{Hit, InFile, PatternRule};
use crate::code::index::{ClassId, FileId, FuncId, Index, Table};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::TextRange;
use crate::python::ast::{self, Expr, Stmt};
use crate::rules::RuleMeta;
use crate::rules::project::support::{placeholder, token_kind};

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG118",
        title: "Credential hard-coded in code",
        severity: Severity::High,
        cwe: Some(798),
        groups: &["code"],
    },
    check,
};

const FIX: &str = "Read the credential from the environment or a secrets manager, rotate the committed one, and remove it from the history.";

fn credential_name(name: &str) -> bool {
    if !super::support::mentions_any(name, &["pass", "pwd", "secret", "key", "token"]) {
        return false;
    }
    let w = words(name);
    let n = w.len();
    let Some(lastw) = w.last().map(String::as_str) else {
        return false;
    };
    let prev = if n >= 2 { w[n - 2].as_str() } else { "" };
    match lastw {
        "password" | "passwd" | "passphrase" | "secret" | "apikey" => true,
        "pwd" => n == 1 || prev == "db",
        "key" => matches!(
            prev,
            "api" | "access" | "secret" | "private" | "signing" | "encryption"
        ),
        "token" => matches!(
            prev,
            "auth" | "access" | "api" | "bearer" | "refresh" | "bot" | "secret"
        ),
        _ => false,
    }
}

fn credential_value(name: &str, v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    // `PASSWORD = "password"`, `consumer_secret = "consumer-secret"`: a placeholder naming
    // the thing, not a value of it.
    let name_words = words(name);
    if name_words.contains(&lower) {
        return false;
    }
    let value_words = words(v);
    if !value_words.is_empty()
        && value_words
            .iter()
            .all(|w| name_words.contains(w) || matches!(w.as_str(), "your" | "my" | "the" | "here"))
    {
        return false;
    }
    // `"mail.password": "EMAIL_HOST_PASSWORD"`: the name of a setting.
    if v.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    let dotted = v.contains('.') && v.split('.').all(crate::project::is_identifier);
    v.chars().count() >= 8
        && !v.contains(' ')
        && !dotted
        && !placeholder(v)
        && !v.starts_with("http")
        && !v.contains("{")
        && !v.starts_with('/')
        && !(v.contains('_') && v.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    let (classes_of, funcs_of) = definitions_by_file(ix);
    for (file, info, _) in ix.parsed_files() {
        if excluded_file(ix.rel(file)) {
            continue;
        }
        let Some(parsed) = info.parsed else { continue };
        // Literals nobody runs (after an unconditional raise), in test cases, or in functions
        // that build sample data.
        // Built only when the file holds a candidate (a full walk of the module otherwise).
        let skip_cell: std::cell::OnceCell<Vec<TextRange>> = std::cell::OnceCell::new();
        let compute_skip = || {
            skipped_ranges(
                ix,
                file,
                &parsed.module.body,
                &classes_of[file],
                &funcs_of[file],
            )
        };
        let skipped = |r: TextRange| {
            skip_cell
                .get_or_init(compute_skip)
                .iter()
                .any(|s| s.contains_range(r))
        };
        let mut seen: std::collections::HashSet<TextRange> = std::collections::HashSet::new();
        let mut push = |out: &mut Vec<Hit>, range: TextRange, msg: String, key: String, c| {
            if !skipped(range) && seen.insert(range) {
                out.push(Hit {
                    at: InFile { file, range },
                    message: msg,
                    fix: FIX.into(),
                    key,
                    confidence: c,
                });
            }
        };
        ix.each_expr(file, &mut |e| check_expr(e, out, &mut push));
        ix.each_stmt(file, &mut |s| check_assignment(s, out, &mut push));
    }
}

/// Classes and functions by file, gathered once (not a scan of every definition per file).
fn definitions_by_file(ix: &Index) -> (Table<FileId, Vec<ClassId>>, Table<FileId, Vec<FuncId>>) {
    let mut classes_of: Table<FileId, Vec<ClassId>> = ix.files.ids().map(|_| Vec::new()).collect();
    for (cid, c) in ix.classes.iter_enumerated() {
        classes_of[c.file].push(cid);
    }
    let mut funcs_of: Table<FileId, Vec<FuncId>> = ix.files.ids().map(|_| Vec::new()).collect();
    for (fid, f) in ix.funcs.iter_enumerated() {
        funcs_of[f.file].push(fid);
    }
    (classes_of, funcs_of)
}

/// Files this rule does not read: tests, settings, examples and documentation, build helpers.
fn excluded_file(rel: &str) -> bool {
    let examples = rel
        .split('/')
        .any(|d| matches!(d, "examples" | "example" | "apidocs" | "docs" | "conf"));
    is_test_file(rel) || is_settings_file(rel) || examples || helper_or_build_module(rel)
}

/// The ranges of a file whose literals are not credentials: dead code, test cases, sample-data
/// functions, tables of sample records and the URL arguments of a link being reversed.
fn skipped_ranges(
    ix: &Index,
    file: FileId,
    body: &[Stmt],
    classes: &[ClassId],
    funcs: &[FuncId],
) -> Vec<TextRange> {
    let mut skip = dead_code(body);
    for &cid in classes {
        let c = &ix.classes[cid];
        if ix.inherits(cid, &|b| {
            last(b).ends_with("TestCase") || last(b).ends_with("TestMixin")
        }) {
            skip.push(c.def.range);
        }
    }
    for f in funcs.iter().map(|&fid| &ix.funcs[fid]) {
        if sample_name(f.def.name.as_str()) {
            skip.push(f.def.range);
        }
    }
    // A table of sample records (a list of two or more dicts) and the URL arguments of a
    // link being reversed are data, not credentials used to log in anywhere.
    super::support::each_expr(body, &mut |e| match e {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })
            if elts.iter().filter(|x| matches!(x, Expr::Dict(_))).count() >= 2 =>
        {
            skip.extend(elts.iter().map(|x| x.range()));
        }
        Expr::Call(c) if last(ix.text(file, c.func.range())).contains("reverse") => {
            skip.extend(
                c.arguments
                    .keywords
                    .iter()
                    .filter(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "kwargs"))
                    .map(|k| k.value.range()),
            );
        }
        _ => {}
    });
    skip
}

/// Reports an expression: a string literal shaped like a known token, then the literal values
/// of credential-named keyword arguments or dict keys (in that order, as the key is deduplicated
/// by range and the first report wins).
fn check_expr(
    e: &Expr,
    out: &mut Vec<Hit>,
    push: &mut impl FnMut(&mut Vec<Hit>, TextRange, String, String, Confidence),
) {
    if let Expr::StringLiteral(s) = e
        && let Some(kind) = token_kind(s.value.to_str())
    {
        push(
            out,
            s.range,
            format!(
                "This string literal is {kind}; credentials in code leak with every copy of it."
            ),
            format!("token:{kind}:{}", short_hash(s.value.to_str())),
            Confidence::High,
        );
    }
    for (name, value) in named_literals(e) {
        if let Expr::StringLiteral(v) = value
            && credential_name(name)
            && credential_value(name, v.value.to_str())
        {
            push(
                out,
                v.range,
                format!("{name} is given a literal credential."),
                format!("{name}:{}", short_hash(v.value.to_str())),
                Confidence::Medium,
            );
        }
    }
}

/// The string literals of a call's keyword arguments or a dict's string keys, with their names.
fn named_literals(e: &Expr) -> Vec<(&str, &Expr)> {
    let mut pairs: Vec<(&str, &Expr)> = Vec::new();
    match e {
        Expr::Call(c) => {
            for k in &c.arguments.keywords {
                if let (Some(a), Expr::StringLiteral(_)) = (&k.arg, &k.value) {
                    pairs.push((a.id.as_str(), &k.value));
                }
            }
        }
        Expr::Dict(d) => {
            for i in &d.items {
                if let (Some(Expr::StringLiteral(k)), Expr::StringLiteral(_)) = (&i.key, &i.value) {
                    pairs.push((k.value.to_str(), &i.value));
                }
            }
        }
        _ => {}
    }
    pairs
}

/// Reports a string literal assigned to a credential-named variable or attribute.
fn check_assignment(
    s: &Stmt,
    out: &mut Vec<Hit>,
    push: &mut impl FnMut(&mut Vec<Hit>, TextRange, String, String, Confidence),
) {
    let (targets, value): (Vec<&Expr>, Option<&Expr>) = match s {
        Stmt::Assign(a) => (a.targets.iter().collect(), Some(&a.value)),
        Stmt::AnnAssign(a) => (vec![&*a.target], a.value.as_deref()),
        _ => return,
    };
    let Some(Expr::StringLiteral(v)) = value else {
        return;
    };
    for t in targets {
        if let Some(name) = target_name(t)
            && credential_name(name)
            && credential_value(name, v.value.to_str())
        {
            push(
                out,
                v.range,
                format!("{name} is assigned a literal credential."),
                format!("{name}:{}", short_hash(v.value.to_str())),
                Confidence::Medium,
            );
        }
    }
}

/// A short digest so the fingerprint does not carry the secret itself.
fn short_hash(v: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(v.as_bytes());
    d.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// Test helper modules (`test.py`) and settings used only to build or test the project
/// (`_build_settings.py`, `test_settings.py`): DJG016 judges deployment settings.
fn helper_or_build_module(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.strip_suffix(".py").unwrap_or(name);
    stem == "test" || stem.ends_with("_settings") || stem.ends_with("settings_build")
}

/// Functions that build sample or placeholder data (`sample_order`, `_event_sample`,
/// `preview_context`, `dummy_user`).
fn sample_name(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "sample"
                | "samples"
                | "example"
                | "examples"
                | "dummy"
                | "demo"
                | "preview"
                | "fake"
                | "mock"
        )
    })
}

/// Statements after an unconditional `raise` in the same block: never run.
fn dead_code(body: &[Stmt]) -> Vec<TextRange> {
    use crate::python::ast::visitor::{self, Visitor};
    struct V(Vec<TextRange>);
    impl<'a> Visitor<'a> for V {
        fn visit_body(&mut self, body: &'a [Stmt]) {
            if let Some(i) = body.iter().position(|s| matches!(s, Stmt::Raise(_)))
                && let (Some(first), Some(end)) = (body.get(i + 1), body.last())
            {
                self.0
                    .push(TextRange::new(first.range().start(), end.range().end()));
            }
            visitor::walk_body(self, body);
        }
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
                visitor::walk_stmt(self, stmt)
            });
        }
        fn visit_expr(&mut self, _expr: &'a Expr) {}
    }
    let mut v = V(Vec::new());
    v.visit_body(body);
    v.0
}
