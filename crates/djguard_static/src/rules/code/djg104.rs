//! # DJG104: Data changed by a GET request
//!
//! ## What it does
//! Finds views that only answer safe methods (`@require_GET`, `@require_safe`,
//! `require_http_methods(["GET"])`) and the `get()` method of class-based views, when they
//! change data: `.save()`, `.delete()`, `.create()`, `.update()`, `.bulk_create()`,
//! `.get_or_create()`, `.update_or_create()` on models and querysets, or `logout()`.
//! Cache and session writes are not counted, nor `save()` on images, buffers and files. Views
//! that external flows send users to by design (payment and SSO returns, callbacks,
//! confirmation and activation links) are left alone.
//!
//! A GET view that first checks a secret the link carries (a signed value, a token
//! generator's `check_token`, a constant-time comparison, Django's CSRF token comparison
//! `_does_token_match` run on an OAuth `state`, a `check_*`/`verify_*` call on a
//! token, hash or secret from the URL) is an e-mail confirmation link another site cannot
//! forge, and is left alone.
//!
//! ## Why is this bad?
//! Django's CSRF protection only covers unsafe methods. A state change behind GET can be
//! triggered by an `<img src>` on any page a logged-in user visits, by link prefetchers and by
//! crawlers: unsubscribe, delete, log out, approve.
//!
//! ## Example
//! ```python
//! class DeleteComment(View):
//!     def get(self, request, pk):
//!         Comment.objects.filter(pk=pk, author=request.user).delete()
//!         return redirect("comments")
//! ```
//!
//! ## Fix
//! Change data in `post()` (or a view restricted with `@require_POST`) behind a form with
//! `{% csrf_token %}`; let GET show a confirmation page.
//!
//! ## References
//! - Django documentation: Cross Site Request Forgery protection → How it works
//! - RFC 9110 §9.2.1: Safe Methods
//! - CWE-352: Cross-Site Request Forgery

use super::support::{allowed_methods, last, only_safe_methods};
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
use crate::code::index::Index;
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::Expr;
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG104",
        title: "Data changed by a GET request",
        severity: Severity::Medium,
        cwe: Some(352),
        groups: &["code"],
    },
    check,
};

const WRITES: &[&str] = &[
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
];

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for f in &ix.funcs {
        let get_method =
            f.def.name.as_str() == "get" && f.class.is_some_and(|c| ix.is_view_class(c));
        let restricted = allowed_methods(ix, f.file, &f.def.decorator_list)
            .is_some_and(|m| only_safe_methods(&m));
        if !get_method && !restricted {
            continue;
        }
        let owner = f
            .class
            .map_or(f.def.name.as_str(), |c| ix.classes[c].def.name.as_str());
        if super::support::external_entry_point(owner, ix.rel(f.file)) {
            continue;
        }
        if signed_link(ix, f.file, &f.def.body) {
            continue;
        }
        let mut found: Option<(crate::python::TextRange, String)> = None;
        super::support::each_expr(&f.def.body, &mut |e| {
            if found.is_some() {
                return;
            }
            let Expr::Call(c) = e else { return };
            if let Some(q) = ix.qualname(f.file, &c.func)
                && (q == "django.contrib.auth.logout" || q == "django.contrib.auth.views.logout")
            {
                found = Some((c.range(), "logout()".into()));
                return;
            }
            let Expr::Attribute(a) = &*c.func else { return };
            let m = a.attr.id.as_str();
            if !WRITES.contains(&m) {
                return;
            }
            let recv = ix.text(f.file, a.value.range());
            let lower = recv.to_ascii_lowercase();
            if lower.contains("session")
                || lower.contains("cache")
                || lower.contains("context")
                || lower.contains("kwargs")
                || lower.contains("dict")
                || lower.contains("headers")
                || lower.contains("params")
                || lower.contains("data")
                || lower.ends_with("form")
                || recv == "self"
                || recv == "super()"
                || super::support::mentions_any(
                    recv,
                    &[
                        "img", "image", "buf", "file", "pdf", "zip", "workbook", "qr", "canvas",
                        "thumb", "stream", "output",
                    ],
                )
            {
                return;
            }
            // `update`/`create` on anything but a manager or queryset is usually a dict or set.
            if matches!(m, "update" | "create")
                && !(recv.contains("objects")
                    || recv.contains("_set")
                    || recv.contains(".filter(")
                    || recv.contains(".all()")
                    || recv.ends_with("queryset")
                    || recv.ends_with("qs"))
            {
                return;
            }
            found = Some((c.range(), format!("{}.{m}()", shorten(recv))));
        });
        if let Some((range, what)) = found {
            let name = last(&f.qualname).to_string();
            let view = if get_method {
                let class = f.class.map_or("", |c| ix.classes[c].def.name.as_str());
                format!("{class}.get()")
            } else {
                format!("{name}()")
            };
            out.push(Hit {
                at: InFile { file: f.file, range },
                message: format!(
                    "{view} answers GET requests but changes data with {what}; CSRF protection does not cover GET, so a link or image on another site can trigger it."
                ),
                fix: "Make the change in post() (or a view with @require_POST) behind a form with {% csrf_token %}; let GET show a confirmation page.".into(),
                key: format!("{}:{what}", f.qualname),
                confidence: Confidence::Medium,
            });
        }
    }
}

fn shorten(s: &str) -> String {
    let s: String = s.split_whitespace().collect();
    if s.chars().count() > 40 {
        let head: String = s.chars().take(37).collect();
        format!("{head}...")
    } else {
        s
    }
}

/// The view checks a secret carried by the link before changing anything: a signed value
/// (`Signer.unsign`, `signing.loads`, a token generator's `check_token`), a constant-time
/// comparison, or a project check (`check_*`/`verify_*`/`validate_*`) of a token, hash or
/// secret from the URL. Another site cannot forge such a link, so GET is the e-mail
/// confirmation it is meant to be.
fn signed_link(ix: &Index, file: FileId, body: &[crate::python::ast::Stmt]) -> bool {
    let mut found = false;
    super::support::each_expr(body, &mut |e| {
        if found {
            return;
        }
        let Expr::Call(c) = e else { return };
        let callee = match &*c.func {
            Expr::Attribute(a) => a.attr.id.as_str(),
            Expr::Name(n) => n.id.as_str(),
            _ => return,
        };
        if matches!(
            callee,
            "unsign"
                | "unsign_object"
                | "loads"
                | "check_token"
                | "compare_digest"
                | "constant_time_compare"
                // Django's own CSRF token comparison, run by hand on an OAuth `state`.
                | "_does_token_match"
                | "_compare_masked_tokens"
        ) && (callee != "loads" || ix.text(file, c.func.range()).contains("signing"))
        {
            found = true;
            return;
        }
        let checks = super::support::words(callee)
            .iter()
            .any(|w| matches!(w.as_str(), "check" | "verify" | "validate"));
        found = checks
            && c.arguments
                .args
                .iter()
                .chain(c.arguments.keywords.iter().map(|k| &k.value))
                .any(|a| {
                    super::support::words(ix.text(file, a.range()))
                        .iter()
                        .any(|w| {
                            matches!(
                                w.as_str(),
                                "token" | "secret" | "hash" | "signature" | "sig"
                            )
                        })
                });
    });
    found
}
