//! # DJG116: DRF endpoint that accepts writes from anyone
//!
//! ## What it does
//! Finds Django REST framework views that accept writes (they define `post`, `put`, `patch`,
//! `delete`, `create`, `update` or `destroy`, or inherit a writing generic view, mixin or
//! `ModelViewSet`, unless the project overrides the write action with a method that stores
//! nothing: a `create()` that only validates is a validation endpoint) while `permission_classes` is `[AllowAny]` or empty, or
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
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
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

fn is_drf(b: &str) -> bool {
    b.starts_with("rest_framework.")
}

/// `[AllowAny]`, `(AllowAny,)`, `[]`, `()`.
fn open_list(ix: &Index, file: FileId, e: &Expr) -> Option<&'static str> {
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

/// Whether the view writes: a handler of its own that may store, or a write action of a DRF
/// generic view or mixin it inherits and does not override with a method that stores nothing
/// (a `create()` that only runs `serializer.is_valid()` and answers 204 is a validation
/// endpoint).
fn writes(ix: &Index, cid: ClassId) -> bool {
    if WRITE_HANDLERS
        .iter()
        .filter_map(|m| ix.method(cid, m))
        .any(|fid| may_store(ix, cid, fid))
    {
        return true;
    }
    let action = |names: &'static [&'static str]| {
        move |b: &str| {
            let l = last(b);
            b.starts_with("rest_framework.") && names.iter().any(|n| l.starts_with(n))
        }
    };
    let actions: [(&str, &[&str]); 4] = [
        ("create", &["ModelViewSet", "Create", "ListCreate"]),
        ("update", &["ModelViewSet", "Update", "RetrieveUpdate"]),
        (
            "partial_update",
            &["ModelViewSet", "Update", "RetrieveUpdate"],
        ),
        (
            "destroy",
            &[
                "ModelViewSet",
                "Destroy",
                "RetrieveDestroy",
                "RetrieveUpdateDestroy",
            ],
        ),
    ];
    actions.iter().any(|(name, bases)| {
        ix.inherits(cid, &action(bases))
            && ix
                .method(cid, name)
                .is_none_or(|fid| may_store(ix, cid, fid) || calls_super(ix, fid))
    })
}

/// Calls that may store something: model and queryset writes, DRF's `perform_*` hooks, a
/// serializer's `save()`, and anything sent on.
const STORES: &[&str] = &[
    "save",
    "perform_create",
    "perform_update",
    "perform_destroy",
    "create",
    "update",
    "partial_update",
    "delete",
    "destroy",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "add",
    "remove",
    "set",
    "clear",
    "execute",
    "send",
    "delay",
    "apply_async",
];

/// Whether a project method may store: a call in [`STORES`] (not to `super()`, which the
/// inherited actions answer for), or a call of another project function or method, which
/// djguard does not follow here.
fn may_store(ix: &Index, cid: ClassId, fid: crate::code::index::FuncId) -> bool {
    let f = &ix.funcs[fid];
    let mut store = false;
    super::support::each_expr(&f.def.body, &mut |e| {
        if store {
            return;
        }
        let Expr::Call(c) = e else { return };
        store = match &*c.func {
            Expr::Attribute(a) => {
                let to_super = matches!(&*a.value, Expr::Call(s) if matches!(&*s.func, Expr::Name(n) if n.id.as_str() == "super"));
                let to_self = matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self");
                !to_super
                    && (STORES.contains(&a.attr.id.as_str())
                        || to_self && ix.method(cid, a.attr.id.as_str()).is_some()
                        || matches!(
                            ix.resolve_def(f.file, &c.func),
                            Some(crate::code::index::Def::Func(_))
                        ))
            }
            func => matches!(
                ix.resolve_def(f.file, func),
                Some(crate::code::index::Def::Func(_))
            ),
        };
    });
    store
}

/// Whether a method hands on to the inherited implementation (`super().create(...)`).
fn calls_super(ix: &Index, fid: crate::code::index::FuncId) -> bool {
    let mut found = false;
    super::support::each_expr(&ix.funcs[fid].def.body, &mut |e| {
        found |= matches!(e, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "super"));
    });
    found
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (cid, c) in ix.classes.iter_enumerated() {
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
                at: InFile { file: c.file, range: if owner == cid { e.range() } else { c.def.name.range() } },
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
                at: InFile { file: c.file, range: if owner == cid { e.range() } else { c.def.name.range() } },
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
                at: InFile { file: f.file, range },
                message: format!("{name}() accepts writes and its permission_classes is {}, so anyone can call it.", if how == "empty" { "empty" } else { "[AllowAny]" }),
                fix: FIX.into(),
                key: format!("{name}:permission_classes"),
                confidence: Confidence::High,
            });
        }
    }
}
