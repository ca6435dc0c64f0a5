//! # DJG103: CSRF protection switched off on a view that accepts POST
//!
//! ## What it does
//! Finds views exempted from Django's CSRF check: `@csrf_exempt` on a function view,
//! `@method_decorator(csrf_exempt, name="dispatch")` on a class-based view,
//! `@method_decorator(csrf_exempt)` on `dispatch`, and `csrf_exempt(view)` written in a URL
//! conf. Views restricted to safe methods (`@require_GET`, `@require_safe`,
//! `require_http_methods(["GET"])`, or classes that only define `get`/`head`/`options`) are
//! left alone: the exemption does nothing there. So are views that other servers call by
//! design and that authenticate the caller their own way: names or files that say webhook,
//! callback, IPN, notification, inbound, report, beacon, RPC, OAuth/OIDC/SSO, return,
//! complete, confirm, verify or activate.
//!
//! ## Why is this bad?
//! Without the CSRF check, any web page a logged-in user visits can submit a form to this
//! view with the user's cookies: change their e-mail, transfer money, delete data. The
//! exemption is often added to make an AJAX call or a webhook "work" and then forgotten.
//!
//! ## Example
//! ```python
//! @csrf_exempt
//! def update_email(request):
//!     request.user.email = request.POST["email"]
//!     request.user.save()
//! ```
//!
//! ## Fix
//! Remove the exemption and send the token: `{% csrf_token %}` in forms, the `X-CSRFToken`
//! header from JavaScript (read from the `csrftoken` cookie). For a webhook called by another
//! server, keep the exemption but authenticate the caller (an HMAC signature checked with
//! `hmac.compare_digest`) and ignore session cookies.
//!
//! ## References
//! - Django documentation: Cross Site Request Forgery protection → AJAX, csrf_exempt
//! - OWASP Cross-Site Request Forgery Prevention Cheat Sheet
//! - CWE-352: Cross-Site Request Forgery

use super::support::{WRITE_HANDLERS, allowed_methods, decorators, last, only_safe_methods};
use super::{Hit, PatternRule};
use crate::code::index::{ClassId, Def, Index};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::Expr;
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG103",
        title: "CSRF protection switched off on a view that accepts POST",
        severity: Severity::High,
        cwe: Some(352),
        groups: &["code"],
    },
    check,
};

const FIX: &str = "Remove csrf_exempt and send the token ({% csrf_token %} in forms, the X-CSRFToken header from JavaScript); for server-to-server webhooks, authenticate the caller with a signature instead of cookies.";

fn is_exempt(q: &str) -> bool {
    last(q) == "csrf_exempt"
}

/// `method_decorator(csrf_exempt, ...)`.
fn method_decorator_exempt(ix: &Index, file: usize, e: &Expr) -> bool {
    let Expr::Call(c) = e else { return false };
    let q = ix
        .qualname(file, &c.func)
        .unwrap_or_else(|| ix.text(file, c.func.range()).to_string());
    if last(&q) != "method_decorator" {
        return false;
    }
    c.arguments.args.first().is_some_and(|a| {
        let inner = ix
            .qualname(file, a)
            .unwrap_or_else(|| ix.text(file, a.range()).to_string());
        is_exempt(&inner)
            || matches!(a, Expr::List(_) | Expr::Tuple(_))
                && ix.text(file, a.range()).contains("csrf_exempt")
    })
}

/// A class that defines handlers and all of them are safe.
fn only_get(ix: &Index, class: ClassId) -> bool {
    let c = &ix.classes[class];
    let handlers: Vec<&str> = c
        .methods
        .keys()
        .copied()
        .filter(|m| {
            matches!(
                *m,
                "get" | "head" | "options" | "post" | "put" | "patch" | "delete" | "dispatch"
            )
        })
        .collect();
    !handlers.is_empty()
        && handlers
            .iter()
            .all(|m| matches!(*m, "get" | "head" | "options" | "dispatch"))
        && !WRITE_HANDLERS.iter().any(|m| ix.method(class, m).is_some())
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    let hit = |file: usize, range, name: &str, how: &str| Hit {
        file,
        range,
        message: format!(
            "{name} is exempt from CSRF protection ({how}) and accepts POST, so other sites can submit requests with a logged-in user's cookies."
        ),
        fix: FIX.to_string(),
        key: name.to_string(),
        confidence: Confidence::High,
    };
    for f in &ix.funcs {
        let decos = decorators(ix, f.file, &f.def.decorator_list);
        let direct = decos.iter().any(|d| is_exempt(d));
        let via_method = f
            .def
            .decorator_list
            .iter()
            .any(|d| method_decorator_exempt(ix, f.file, &d.expression));
        if !direct && !via_method {
            continue;
        }
        let owner = f
            .class
            .map_or(f.def.name.as_str(), |c| ix.classes[c].def.name.as_str());
        if super::support::external_entry_point(owner, ix.rel(f.file))
            || super::support::external_entry_point(f.def.name.as_str(), "")
        {
            continue;
        }
        if allowed_methods(ix, f.file, &f.def.decorator_list).is_some_and(|m| only_safe_methods(&m))
        {
            continue;
        }
        if let Some(class) = f.class
            && f.def.name.as_str() == "dispatch"
            && only_get(ix, class)
        {
            continue;
        }
        out.push(hit(
            f.file,
            f.def.name.range(),
            &format!("{}()", f.qualname.rsplit('.').next().unwrap_or(&f.qualname)),
            if via_method {
                "method_decorator(csrf_exempt)"
            } else {
                "@csrf_exempt"
            },
        ));
    }
    for (cid, c) in ix.classes.iter().enumerate() {
        let exempt = c.def.decorator_list.iter().any(|d| {
            method_decorator_exempt(ix, c.file, &d.expression)
                || decorators(ix, c.file, std::slice::from_ref(d))
                    .iter()
                    .any(|q| is_exempt(q))
        });
        if exempt
            && !only_get(ix, cid)
            && !super::support::external_entry_point(c.def.name.as_str(), ix.rel(c.file))
        {
            out.push(hit(
                c.file,
                c.def.name.range(),
                c.def.name.as_str(),
                "method_decorator(csrf_exempt) on the class",
            ));
        }
    }
    for r in &ix.routes {
        if !r.wrappers.iter().any(|w| is_exempt(w)) {
            continue;
        }
        let view = crate::code::index::strip_as_view(r.view);
        let safe = match ix.resolve_def(r.file, view) {
            Some(Def::Func(fid)) => {
                let f = &ix.funcs[fid];
                allowed_methods(ix, f.file, &f.def.decorator_list)
                    .is_some_and(|m| only_safe_methods(&m))
            }
            Some(Def::Class(cid)) => only_get(ix, cid),
            None => false,
        };
        let name = ix.text(r.file, view.range()).to_string();
        if !safe && !super::support::external_entry_point(&name, "") {
            out.push(hit(r.file, r.range, &name, "csrf_exempt() in the URL conf"));
        }
    }
}
