//! # DJG103: CSRF protection switched off on a view that accepts POST
//!
//! ## What it does
//! Finds views exempted from Django's CSRF check: `@csrf_exempt` on a function view,
//! `@method_decorator(csrf_exempt, name="dispatch")` on a class-based view,
//! `@method_decorator(csrf_exempt)` on `dispatch`, and `csrf_exempt(view)` written in a URL
//! conf. Views restricted to safe methods (`@require_GET`, `@require_safe`,
//! `require_http_methods(["GET"])`, `http_method_names = ["get"]`, a project decorator that
//! answers 405 to other methods, classes that only define `get`/`head`/`options`, or class
//! views built only on Django's read-only generic views such as `TemplateView` and
//! `DetailView`) are
//! left alone: the exemption does nothing there. So are views that do not rely on cookies:
//! a project decorator or the view itself checks an `Authorization`/API-key header or compares
//! a token with `hmac.compare_digest`/`constant_time_compare`, computes a signature with a
//! server secret (`hmac.new`, a `hashlib` digest over a `settings.*KEY*`/`*SECRET*`, Stripe's
//! `construct_event`), confirms the data with PayPal (IPN `_notify-validate`, PDT
//! `_notify-synch`), authenticates the caller by credentials sent with the request
//! (`request.user = authenticate(...)`), unsigns a signed URL
//! (`Signer`/`TimestampSigner.unsign`, `signing.loads`), requires `X-Requested-With` (a
//! cross-site form cannot send it), or runs `CsrfViewMiddleware`'s check by hand, in its own
//! body or in a project function it calls (two calls deep). And views
//! that other servers call by design: names or files that say webhook, hook, callback, IPN,
//! ping, bounce, bot, heartbeat, notification, inbound, report, beacon, RPC, OAuth/OIDC/SSO,
//! return, complete, confirm, verify or activate, in any plural or verb form (`pings`,
//! `bounced`, `notifications`, `verified`).
//!
//! Findings are medium confidence: whether the view is reached with a logged-in user's
//! cookies (rather than by a server or a script with its own credentials) is context djguard
//! cannot see.
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
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
use crate::code::index::{ClassId, Def, FuncId, Index};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{self, Expr};
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
fn method_decorator_exempt(ix: &Index, file: FileId, e: &Expr) -> bool {
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

/// Django's class-based views and mixins that answer no unsafe method (POST gets 405).
const READ_ONLY_VIEWS: &[&str] = &[
    "View",
    "TemplateView",
    "DetailView",
    "ListView",
    "ArchiveIndexView",
    "YearArchiveView",
    "MonthArchiveView",
    "WeekArchiveView",
    "DayArchiveView",
    "TodayArchiveView",
    "DateDetailView",
    "BaseDetailView",
    "BaseListView",
    "ContextMixin",
    "TemplateResponseMixin",
    "SingleObjectMixin",
    "SingleObjectTemplateResponseMixin",
    "MultipleObjectMixin",
    "MultipleObjectTemplateResponseMixin",
    "LoginRequiredMixin",
    "PermissionRequiredMixin",
    "UserPassesTestMixin",
    "AccessMixin",
    "object",
];

/// A class-based view whose whole hierarchy answers only safe methods: no project class in it
/// defines an unsafe handler (or `dispatch`), and every library base is one of Django's
/// read-only generic views (`TemplateView`, `DetailView`, `ListView`...).
fn read_only_class(ix: &Index, class: ClassId) -> bool {
    let mro = ix.mro(class);
    let project_names: Vec<&str> = mro
        .iter()
        .map(|&c| ix.classes[c].def.name.as_str())
        .collect();
    if mro.iter().any(|&c| {
        ix.classes[c]
            .methods
            .keys()
            .any(|m| WRITE_HANDLERS.contains(m) || *m == "dispatch")
    }) {
        return false;
    }
    let mut any_view = false;
    for &c in &mro {
        for base in ix.bases(c) {
            if matches!(ix.lookup(base), Some(Def::Class(_))) {
                continue;
            }
            let short = last(base);
            if project_names.contains(&short) {
                continue;
            }
            let django = base.starts_with("django.") || !base.contains('.');
            if !django || !READ_ONLY_VIEWS.contains(&short) {
                return false;
            }
            any_view |= short.ends_with("View");
        }
    }
    any_view
}

/// Why a view does not rely on cookies even though it is exempt: what its project decorators
/// or its own body check before doing anything (a header token compared in constant time, a
/// signed URL, a header a cross-site form cannot send, Django's CSRF check run by hand).
fn guard_in(text: &str) -> Option<&'static str> {
    // Commented-out code (`# hmac.compare_digest(...)`) guards nothing.
    let lower: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .to_ascii_lowercase();
    let any = |ms: &[&str]| ms.iter().any(|m| lower.contains(m));
    if any(&["csrfviewmiddleware", "_check_token", "check_csrf"]) {
        Some("it runs the CSRF check itself")
    } else if any(&[
        ".unsign(",
        "unsign_object",
        "timestampsigner",
        "signing.loads",
        "signer(",
    ]) {
        Some("it is authenticated by a signed URL or token")
    } else if any(&["hmac.new(", "hmac.digest(", "construct_event("])
        || lower.contains("hashlib.")
            && lower.split("settings.").skip(1).any(|rest| {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                name.contains("key") || name.contains("secret")
            })
    {
        // `hmac.new(key, ...)`, Stripe's `Webhook.construct_event`, or a digest over a secret
        // setting (`md5(settings.RESPONSE_KEY + ...)`, a gateway's response hash).
        Some("it checks a signature of the request made with a server secret")
    } else if any(&["_notify-validate", "_notify-synch"]) {
        // PayPal IPN / PDT: the data is confirmed with PayPal before it is trusted.
        Some("it confirms the data with the payment provider")
    } else if any(&["request.user = authenticate(", "request.user=authenticate("]) {
        Some("it authenticates the caller by credentials sent with the request, not the session")
    } else if any(&["x-requested-with", "http_x_requested_with", "is_ajax"]) {
        Some("it requires an X-Requested-With header a cross-site form cannot send")
    } else if any(&[
        "http_authorization",
        "\"authorization\"",
        "'authorization'",
        "compare_digest",
        "constant_time_compare",
        "x-api-key",
        "http_x_api_key",
    ]) {
        Some("it is authenticated by a header token, not cookies")
    } else {
        None
    }
}

/// The project functions used as decorators in `list`.
fn project_decorators(ix: &Index, file: FileId, list: &[ast::Decorator]) -> Vec<FuncId> {
    list.iter()
        .filter_map(|d| {
            let e = match &d.expression {
                Expr::Call(c) => &*c.func,
                e => e,
            };
            match ix.resolve_def(file, e) {
                Some(Def::Func(fid)) => Some(fid),
                _ => None,
            }
        })
        .collect()
}

/// A project decorator that answers 405 to everything but safe methods
/// (`return HttpResponseNotAllowed(["GET"])`).
fn safe_only_decorator(ix: &Index, fid: FuncId) -> bool {
    let f = &ix.funcs[fid];
    let mut safe = false;
    super::support::each_expr(&f.def.body, &mut |e| {
        let Expr::Call(c) = e else { return };
        let callee = ix.text(f.file, c.func.range());
        if last(callee) != "HttpResponseNotAllowed" {
            return;
        }
        let Some(methods) = c
            .arguments
            .args
            .first()
            .and_then(|a| method_list(ix, f.file, a))
        else {
            return;
        };
        safe = only_safe_methods(&methods);
    });
    safe
}

/// Why an exempt function (or class, through its handlers) is not a cookie-CSRF risk.
fn guarded(
    ix: &Index,
    file: FileId,
    decos: &[ast::Decorator],
    bodies: &[FuncId],
) -> Option<&'static str> {
    for d in project_decorators(ix, file, decos) {
        if safe_only_decorator(ix, d) {
            return Some("safe methods only");
        }
        let f = &ix.funcs[d];
        if let Some(why) = guard_in(ix.text(f.file, f.def.range)) {
            return Some(why);
        }
    }
    // The view's body, then the project functions it calls (two levels: a view handing
    // the request to `validate_api_request(data)`, which signs with `hmac.new`).
    let mut seen: Vec<FuncId> = Vec::new();
    let mut level: Vec<FuncId> = bodies.to_vec();
    for _ in 0..3 {
        let mut next = Vec::new();
        for fid in level {
            if seen.contains(&fid) || seen.len() >= 32 {
                continue;
            }
            seen.push(fid);
            let f = &ix.funcs[fid];
            if let Some(why) = guard_in(ix.text(f.file, f.def.range)) {
                return Some(why);
            }
            super::support::each_expr(&f.def.body, &mut |e| {
                if let Expr::Call(c) = e
                    && let Some(Def::Func(callee)) = ix.resolve_def(f.file, &c.func)
                {
                    next.push(callee);
                }
            });
        }
        level = next;
    }
    None
}

/// `http_method_names = ["get", "head"]` on the class or a project ancestor.
fn http_methods_safe(ix: &Index, class: ClassId) -> bool {
    let Some((owner, e)) = ix.class_attr(class, "http_method_names") else {
        return false;
    };
    method_list(ix, ix.classes[owner].file, e).is_some_and(|m| only_safe_methods(&m))
}

/// A non-empty list or tuple of HTTP method names, upper-cased (`["get", "head"]`).
fn method_list(ix: &Index, file: FileId, e: &Expr) -> Option<Vec<String>> {
    let (Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })) = e
    else {
        return None;
    };
    let names: Vec<String> = elts
        .iter()
        .map(|x| {
            ix.text(file, x.range())
                .trim_matches(|c| c == '"' || c == '\'')
                .to_ascii_uppercase()
        })
        .collect();
    (!names.is_empty()).then_some(names)
}

/// The handlers of a class that take unsafe methods (and `dispatch`), through project ancestors.
fn class_bodies(ix: &Index, class: ClassId) -> Vec<FuncId> {
    ["dispatch", "post", "put", "patch", "delete"]
        .iter()
        .filter_map(|m| ix.method(class, m))
        .collect()
}

/// Why an exempt class-based view is not a cookie-CSRF risk.
fn class_guarded(ix: &Index, class: ClassId) -> Option<&'static str> {
    if http_methods_safe(ix, class) {
        return Some("safe methods only");
    }
    let c = &ix.classes[class];
    guarded(ix, c.file, &c.def.decorator_list, &class_bodies(ix, class))
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    let hit = |file: FileId, range, name: &str, how: &str| Hit {
        at: InFile { file, range },
        message: format!(
            "{name} is exempt from CSRF protection ({how}) and accepts POST, so other sites can submit requests with a logged-in user's cookies."
        ),
        fix: FIX.to_string(),
        key: name.to_string(),
        // Whether the view is cookie-authenticated is context djguard cannot see.
        confidence: Confidence::Medium,
    };
    for (fid, f) in ix.funcs.iter_enumerated() {
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
        let mut bodies = vec![fid];
        if let Some(class) = f.class {
            if http_methods_safe(ix, class) {
                continue;
            }
            bodies.extend(class_bodies(ix, class));
        }
        if guarded(ix, f.file, &f.def.decorator_list, &bodies).is_some() {
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
    for (cid, c) in ix.classes.iter_enumerated() {
        let exempt = c.def.decorator_list.iter().any(|d| {
            method_decorator_exempt(ix, c.file, &d.expression)
                || decorators(ix, c.file, std::slice::from_ref(d))
                    .iter()
                    .any(|q| is_exempt(q))
        });
        if exempt
            && !only_get(ix, cid)
            && !read_only_class(ix, cid)
            && class_guarded(ix, cid).is_none()
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
                    || guarded(ix, f.file, &f.def.decorator_list, &[fid]).is_some()
            }
            Some(Def::Class(cid)) => {
                only_get(ix, cid) || read_only_class(ix, cid) || class_guarded(ix, cid).is_some()
            }
            None => false,
        };
        let name = ix.text(r.file, view.range()).to_string();
        if !safe && !super::support::external_entry_point(&name, "") {
            out.push(hit(r.file, r.range, &name, "csrf_exempt() in the URL conf"));
        }
    }
}
