//! # DJG116: DRF endpoint that accepts writes from anyone
//!
//! ## What it does
//! Finds Django REST framework views that accept writes (they define `post`, `put`, `patch`,
//! `delete`, `create`, `update` or `destroy`, or inherit a writing generic view, mixin or
//! `ModelViewSet`) while `permission_classes` is `[AllowAny]` or empty, or
//! `authentication_classes` is empty; and function views `@api_view(["POST", ...])` with
//! `@permission_classes([AllowAny])`. Views whose name says they are meant for anonymous
//! users (login, logout, register, sign-up, token, password reset, webhook, health, contact)
//! and read-only views are left alone.
//!
//! ## Why is this bad?
//! `AllowAny` overrides the project's `DEFAULT_PERMISSION_CLASSES` for this view: anyone on
//! the internet can create, change or delete these objects.
//!
//! ## Example
//! ```python
//! class OrderViewSet(viewsets.ModelViewSet):
//!     queryset = Order.objects.all()
//!     serializer_class = OrderSerializer
//!     permission_classes = [AllowAny]
//! ```
//!
//! ## Fix
//! Require authentication (`IsAuthenticated`, `IsAuthenticatedOrReadOnly`,
//! `DjangoModelPermissions`, or an object-level permission), or remove the override so the
//! project default applies.
//!
//! ## References
//! - Django REST framework documentation: Permissions
//! - OWASP API Security Top 10: API5 Broken Function Level Authorization
//! - CWE-862: Missing Authorization

use super::support::{WRITE_HANDLERS, decorators, last, words};
use super::{Hit, PatternRule};
use crate::code::index::{ClassId, Index};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::Expr;
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG116",
        title: "DRF endpoint that accepts writes from anyone",
        severity: Severity::High,
        cwe: Some(862),
        groups: &["code"],
    },
    check,
};

const FIX: &str = "Require authentication (IsAuthenticated, IsAuthenticatedOrReadOnly, DjangoModelPermissions or an object permission), or drop the override so DEFAULT_PERMISSION_CLASSES applies.";

fn anonymous_by_design(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "login"
                | "logout"
                | "signin"
                | "signup"
                | "register"
                | "registration"
                | "token"
                | "password"
                | "reset"
                | "webhook"
                | "webhooks"
                | "health"
                | "healthcheck"
                | "contact"
                | "auth"
                | "obtain"
                | "refresh"
                | "verify"
                | "activate"
                | "activation"
                | "callback"
                | "public"
                | "anonymous"
                | "ping"
                | "status"
                | "invite"
                | "join"
                | "wizard"
                | "initialize"
                | "setup"
        )
    })
}

fn writing_base(b: &str) -> bool {
    let l = last(b);
    b.starts_with("rest_framework.")
        && (l == "ModelViewSet"
            || l.starts_with("Create")
            || l.starts_with("Update")
            || l.starts_with("Destroy")
            || l.starts_with("ListCreate")
            || l.starts_with("RetrieveUpdate")
            || l.starts_with("RetrieveDestroy"))
}

fn is_drf(b: &str) -> bool {
    b.starts_with("rest_framework.")
}

/// `[AllowAny]`, `(AllowAny,)`, `[]`, `()`.
fn open_list(ix: &Index, file: usize, e: &Expr) -> Option<&'static str> {
    let elts: &[Expr] = match e {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return None,
    };
    if elts.is_empty() {
        return Some("empty");
    }
    let all_allow = elts.iter().all(|x| {
        ix.qualname(file, x)
            .unwrap_or_else(|| ix.text(file, x.range()).to_string())
            .ends_with("AllowAny")
    });
    all_allow.then_some("AllowAny")
}

fn writes(ix: &Index, cid: ClassId) -> bool {
    WRITE_HANDLERS.iter().any(|m| ix.method(cid, m).is_some()) || ix.inherits(cid, &writing_base)
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (cid, c) in ix.classes.iter().enumerate() {
        if !ix.inherits(cid, &is_drf)
            || anonymous_by_design(c.def.name.as_str())
            || super::support::machine_entry_point(c.def.name.as_str(), ix.rel(c.file))
            || !writes(ix, cid)
        {
            continue;
        }
        let name = c.def.name.as_str();
        if let Some((owner, e)) = ix.class_attr(cid, "permission_classes")
            && let Some(how) = open_list(ix, ix.classes[owner].file, e)
        {
            out.push(Hit {
                file: c.file,
                range: if owner == cid { e.range() } else { c.def.name.range() },
                message: format!("{name} accepts writes and its permission_classes is {}, so anyone can create, change or delete through it.", if how == "empty" { "empty" } else { "[AllowAny]" }),
                fix: FIX.into(),
                key: format!("{name}:permission_classes"),
                confidence: Confidence::High,
            });
            continue;
        }
        if let Some((owner, e)) = ix.class_attr(cid, "authentication_classes")
            && open_list(ix, ix.classes[owner].file, e) == Some("empty")
            && ix.class_attr(cid, "permission_classes").is_none()
        {
            out.push(Hit {
                file: c.file,
                range: if owner == cid { e.range() } else { c.def.name.range() },
                message: format!("{name} accepts writes with authentication_classes empty, so no request is authenticated; unless the default permissions refuse every request, anyone can write."),
                fix: FIX.into(),
                key: format!("{name}:authentication_classes"),
                confidence: Confidence::Low,
            });
        }
    }
    for f in &ix.funcs {
        let decos = decorators(ix, f.file, &f.def.decorator_list);
        if !decos.iter().any(|d| last(d) == "api_view")
            || anonymous_by_design(f.def.name.as_str())
            || super::support::machine_entry_point(f.def.name.as_str(), ix.rel(f.file))
        {
            continue;
        }
        let mut write = false;
        let mut open = None;
        for d in &f.def.decorator_list {
            let Expr::Call(c) = &d.expression else {
                continue;
            };
            let q = ix
                .qualname(f.file, &c.func)
                .unwrap_or_else(|| ix.text(f.file, c.func.range()).to_string());
            match last(&q) {
                "api_view" => {
                    write = ix
                        .text(f.file, c.arguments.range())
                        .to_ascii_uppercase()
                        .split(|ch: char| !ch.is_ascii_alphabetic())
                        .any(|m| matches!(m, "POST" | "PUT" | "PATCH" | "DELETE"));
                }
                "permission_classes" => {
                    if let Some(a) = c.arguments.args.first() {
                        open = open_list(ix, f.file, a).map(|h| (h, d.range()));
                    }
                }
                _ => {}
            }
        }
        if let (true, Some((how, range))) = (write, open) {
            let name = f.def.name.as_str();
            out.push(Hit {
                file: f.file,
                range,
                message: format!("{name}() accepts writes and its permission_classes is {}, so anyone can call it.", if how == "empty" { "empty" } else { "[AllowAny]" }),
                fix: FIX.into(),
                key: format!("{name}:permission_classes"),
                confidence: Confidence::High,
            });
        }
    }
}
