//! # DJG115: Mass assignment of privileged model fields
//!
//! ## What it does
//! Finds ModelForms and DRF ModelSerializers whose `Meta` uses `fields = "__all__"` or
//! `exclude` on a model with privilege fields: a user model (`django.contrib.auth` User,
//! `get_user_model()`, a project model deriving from AbstractUser, AbstractBaseUser or
//! PermissionsMixin) or a project model that declares `is_staff`, `is_superuser`,
//! `is_admin`, `role`, `permissions`, `groups`, `owner`, `user`, `balance` or `credits`;
//! `groups` and `permissions` on another model count only when they relate to Django's auth
//! `Group`/`Permission` (a `groups` field of customer groups is the model's business);
//! `is_active`, `is_verified` and `plan` count only on user-like models (a user, account,
//! member, profile, customer or subscription; `is_active` on a build is a domain flag). A
//! form bound only to `request.GET` wherever it is created and never saved is a search form,
//! not mass assignment. Also finds request data spread into a model:
//! `Model(**request.POST.dict())`, `.objects.create(**request.data)`, `.update(**...)` on a
//! manager or queryset, and `setattr(obj, key, value)` in a loop over `request.POST.items()`.
//! Lookups (`.get(**data)`, `.filter(**data)`) assign nothing, and `.update()` of a plain dict
//! is no model, so neither is reported; nor is a manager `create()`/`update()` called with
//! positional arguments, which is the project's own method (Django's take keywords only).
//! A form or serializer whose
//! privilege fields are all listed in `read_only_fields` or `exclude`, marked read-only in
//! `extra_kwargs`, or declared by hand (`owner = HiddenField(default=CurrentUserDefault())`)
//! is left alone. A serializer that the project only ever creates without `data` (an export,
//! a nested read field), never names as a view's `serializer_class` and never subclasses
//! only renders: low confidence.
//!
//! ## Why is this bad?
//! Every model field not listed becomes writable by whoever submits the form or the API
//! call: adding `is_staff=on` or `owner=<my id>` to the request makes a user an admin or
//! steals an object. New fields added to the model later are exposed silently.
//!
//! ## Example
//! ```python
//! class ProfileForm(forms.ModelForm):
//!     class Meta:
//!         model = User
//!         fields = "__all__"
//! ```
//!
//! ## Fix
//! List the editable fields explicitly (`fields = ["first_name", "last_name", "email"]`),
//! mark the rest `read_only_fields` in serializers, and copy request values one by one into
//! validated, named fields.
//!
//! ## References
//! - Django documentation: Creating forms from models → Selecting the fields to use
//! - OWASP Mass Assignment Cheat Sheet
//! - CWE-915: Improperly Controlled Modification of Dynamically-Determined Object Attributes

use super::support::{enclosing_func, last, words};
use super::{Hit, InFile, PatternRule};
use crate::code::ids::FileId;
use crate::code::index::{ClassId, Def, Index};
use crate::finding::{Confidence, Severity};
use crate::python::Ranged;
use crate::python::ast::{self, Expr, Stmt};
use crate::rules::RuleMeta;

pub static RULE: PatternRule = PatternRule {
    meta: RuleMeta {
        id: "DJG115",
        title: "Mass assignment of privileged model fields",
        severity: Severity::High,
        cwe: Some(915),
        groups: &["code"],
    },
    check,
};

const PRIVILEGED: &[&str] = &[
    "is_staff",
    "is_superuser",
    "is_admin",
    "is_moderator",
    "is_active",
    "is_verified",
    "role",
    "roles",
    "permissions",
    "user_permissions",
    "groups",
    "owner",
    "user",
    "balance",
    "credits",
    "plan",
    "access_level",
];

fn user_base(b: &str) -> bool {
    matches!(
        b,
        "django.contrib.auth.models.AbstractUser"
            | "django.contrib.auth.models.AbstractBaseUser"
            | "django.contrib.auth.models.PermissionsMixin"
            | "django.contrib.auth.models.User"
            | "django.contrib.auth.base_user.AbstractBaseUser"
    )
}

/// Fields that grant something only on a user-like model (`is_active` on a build or a plan
/// is a domain flag, `plan` of a test run is the plan it belongs to).
const USER_LIKE_ONLY: &[&str] = &["is_active", "is_verified", "plan"];

/// The privilege fields of Django's user model.
const USER_PRIVILEGED: &[&str] = &["is_staff", "is_superuser", "groups", "user_permissions"];

/// Why the model is sensitive, if it is, and its privilege fields.
fn privileged_model(ix: &Index, file: FileId, model: &Expr) -> Option<(String, Vec<&'static str>)> {
    let user = || Some(("the user model".to_string(), USER_PRIVILEGED.to_vec()));
    if let Expr::Call(c) = model
        && ix
            .qualname(file, &c.func)
            .is_some_and(|q| last(&q) == "get_user_model")
    {
        return user();
    }
    if let Some(q) = ix.qualname(file, model)
        && user_base(&q)
    {
        return user();
    }
    let Some(Def::Class(cid)) = ix.resolve_def(file, model) else {
        return None;
    };
    if ix.inherits(cid, &|b| user_base(b)) {
        return Some(("a user model".to_string(), USER_PRIVILEGED.to_vec()));
    }
    let user_like = words(ix.classes[cid].def.name.as_str()).iter().any(|w| {
        matches!(
            w.as_str(),
            "user" | "account" | "member" | "profile" | "customer" | "subscription"
        )
    }) || ["is_staff", "is_superuser", "password", "last_login"]
        .iter()
        .any(|f| ix.class_attr(cid, f).is_some());
    let fields: Vec<&'static str> = PRIVILEGED
        .iter()
        .copied()
        .filter(|f| user_like || !USER_LIKE_ONLY.contains(f))
        .filter(|f| match ix.class_attr(cid, f) {
            None => false,
            // `groups`/`permissions` on another model grant something only when they point
            // at Django's auth groups or permissions (not customer groups, say).
            Some((owner, e)) if !user_like && matches!(*f, "groups" | "permissions") => {
                !relates_elsewhere(ix, ix.classes[owner].file, e)
            }
            Some(_) => true,
        })
        .collect();
    let first = fields.first()?;
    Some((format!("a model with the field {first}"), fields))
}

/// A relation field whose target is known and is not Django's auth `Group` or `Permission`
/// (`ManyToManyField(ContactGroup)`, `ManyToManyField("shop.CustomerGroup")`).
fn relates_elsewhere(ix: &Index, file: FileId, field: &Expr) -> bool {
    let Expr::Call(c) = field else { return false };
    let Some(target) = c
        .arguments
        .args
        .first()
        .or_else(|| c.arguments.find_keyword("to").map(|k| &k.value))
    else {
        return false;
    };
    let auth = |name: &str| {
        matches!(last(name), "Group" | "Permission")
            && (name.starts_with("django.contrib.auth") || name.starts_with("auth."))
    };
    match target {
        Expr::StringLiteral(l) => {
            let t = l.value.to_str();
            !auth(t) && t != "self"
        }
        other => match ix.resolve_def(file, other) {
            Some(Def::Class(_)) => true,
            _ => ix
                .qualname(file, other)
                .is_some_and(|q| !auth(&q) && q.contains('.')),
        },
    }
}

/// Field names listed in a `Meta` option (`read_only_fields`, `exclude`) or marked read-only
/// in `extra_kwargs`, and fields the form or serializer declares itself.
fn protected_fields<'a>(ix: &Index<'a>, cid: ClassId, meta: &'a ast::StmtClassDef) -> Vec<&'a str> {
    let strings = |e: &'a Expr| -> Vec<&'a str> {
        let elts: &[Expr] = match e {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => &[],
        };
        elts.iter()
            .filter_map(|x| match x {
                Expr::StringLiteral(s) => Some(s.value.to_str()),
                _ => None,
            })
            .collect()
    };
    let mut out: Vec<&'a str> = ix.classes[cid].attrs.keys().copied().collect();
    for s in &meta.body {
        let Stmt::Assign(a) = s else { continue };
        let Some(Expr::Name(n)) = a.targets.first() else {
            continue;
        };
        match n.id.as_str() {
            "read_only_fields" | "exclude" => out.extend(strings(&a.value)),
            "extra_kwargs" => {
                if let Expr::Dict(d) = &*a.value {
                    for item in &d.items {
                        if let (Some(Expr::StringLiteral(k)), Expr::Dict(opts)) = (&item.key, &item.value)
                            && opts.items.iter().any(|o| {
                                matches!(&o.key, Some(Expr::StringLiteral(ok)) if ok.value.to_str() == "read_only")
                                    && matches!(&o.value, Expr::BooleanLiteral(b) if b.value)
                            })
                        {
                            out.push(k.value.to_str());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn is_model_form(ix: &Index, cid: ClassId) -> Option<&'static str> {
    if ix.inherits(cid, &|b| last(b) == "ModelForm") {
        Some("ModelForm")
    } else if ix.inherits(cid, &|b| {
        matches!(last(b), "ModelSerializer" | "HyperlinkedModelSerializer")
    }) {
        Some("ModelSerializer")
    } else {
        None
    }
}

/// A form created only from `request.GET` (wherever the project instantiates it) and never
/// saved there: a search or filter form, which assigns nothing.
/// The calls whose callee's text ends in `name` (`forms.SearchForm(...)` for `SearchForm`),
/// looked for only in the files whose text names it.
fn calls_named<'a>(ix: &Index<'a>, name: &str) -> Vec<(FileId, &'a ast::ExprCall)> {
    let mut out = Vec::new();
    for (file, _, parsed) in ix.parsed_files() {
        if !parsed.text.contains(name) {
            continue;
        }
        ix.each_expr(file, &mut |e| {
            let Expr::Call(c) = e else { return };
            let text = ix.text(file, c.func.range());
            if text.rsplit('.').next() == Some(name) {
                out.push((file, c));
            }
        });
    }
    out
}

fn bound_only_to_get(ix: &Index, cid: ClassId) -> bool {
    let name = ix.classes[cid].def.name.as_str();
    // Used as a view's form_class: bound to POST by the view.
    if ix.classes.values().any(|c| {
        c.attrs
            .get("form_class")
            .is_some_and(|e| ix.text(c.file, e.range()).rsplit('.').next() == Some(name))
    }) {
        return false;
    }
    let mut seen = 0;
    let mut all_get = true;
    for (file, c) in calls_named(ix, name) {
        if !all_get {
            break;
        }
        {
            if ix.resolve_def(file, &c.func) != Some(Def::Class(cid)) {
                continue;
            }
            seen += 1;
            let data = c.arguments.args.first().or_else(|| {
                c.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "data"))
                    .map(|k| &k.value)
            });
            let get = data.is_some_and(|d| {
                let t = ix.text(file, d.range());
                t.contains("request.GET") || t.contains("query_params")
            });
            // Saved where it is bound: `form.save()` in the same function.
            let saved = enclosing_func(ix, file, c.range()).is_some_and(|f| {
                let f = &ix.funcs[f];
                ix.text(f.file, f.def.range).contains(".save(")
            });
            all_get &= get && !saved;
        }
    }
    seen > 0 && all_get
}

/// Whether a serializer may be handed request data: some code names it other than as a call
/// without data (a view's `serializer_class`, a mapping, a subclass, a return value), or calls
/// it with data (`S(data=...)`, `S(instance, request.data)`), or never creates it (another
/// project may). A serializer only ever created without data (`S(obj)`, a nested read field
/// `S(many=True, read_only=True)`) only renders.
fn serializer_fed(ix: &Index, cid: ClassId) -> bool {
    let name = ix.classes[cid].def.name.as_str();
    let calls = calls_named(ix, name);
    // Never created in the project: a reusable app's serializer may be fed by the views of
    // the projects using it.
    if calls.is_empty() {
        return true;
    }
    let fed = calls.iter().any(|(file, c)| {
        c.arguments.args.len() >= 2
            || c.arguments
                .args
                .iter()
                .any(|a| matches!(a, Expr::Starred(_)))
            || c.arguments.keywords.iter().any(|k| {
                k.arg
                    .as_ref()
                    .is_none_or(|a| matches!(a.id.as_str(), "data" | "partial"))
            })
            // A call of something else of that name: not this class, so no evidence.
            && ix.resolve_def(*file, &c.func).is_none_or(|d| d == Def::Class(cid))
    });
    if fed {
        return true;
    }
    let call_funcs: Vec<(FileId, crate::python::TextRange)> =
        calls.iter().map(|(f, c)| (*f, c.func.range())).collect();
    let mut other_use = false;
    for (file, _, parsed) in ix.parsed_files() {
        if other_use || !parsed.text.contains(name) {
            continue;
        }
        super::support::each_expr(&parsed.module.body, &mut |e| {
            if other_use {
                return;
            }
            let named = match e {
                Expr::Name(n) => n.id.as_str() == name,
                Expr::Attribute(a) => a.attr.id.as_str() == name,
                _ => false,
            };
            if named && !call_funcs.contains(&(file, e.range())) {
                other_use = true;
            }
        });
    }
    // A subclass (`class Admin(UserSerializer)`) may be fed data.
    other_use
        || ix
            .classes
            .ids()
            .any(|c| ix.bases(c).iter().any(|b| last(b) == name))
}

/// A `create`/`update`/`get_or_create`/`update_or_create` call with positional arguments:
/// Django's manager and queryset methods take keywords only (`create(**kwargs)`), so this is
/// a project's own manager method (`AuditLog.objects.create(user, request, "event",
/// **params)`, storing the params in a JSON field), not field assignment.
fn custom_manager_call(func: &Expr, call: &ast::ExprCall) -> bool {
    matches!(func, Expr::Attribute(a) if matches!(a.attr.id.as_str(), "create" | "update" | "get_or_create" | "update_or_create"))
        && !call.arguments.args.is_empty()
}

/// The call assigns to a model: a constructor (`Ticket(**data)`), or `create`/`update`/
/// `get_or_create`/`update_or_create` on a manager or queryset. Lookups (`get`, `filter`)
/// and methods of other objects (`dict.update`) do not.
fn assigns_model(ix: &Index, file: FileId, func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str().starts_with(char::is_uppercase),
        Expr::Attribute(a) => {
            let m = a.attr.id.as_str();
            if m.starts_with(char::is_uppercase) {
                return true;
            }
            if !matches!(
                m,
                "create" | "update" | "get_or_create" | "update_or_create"
            ) {
                return false;
            }
            let recv = ix.text(file, a.value.range());
            recv.contains("objects")
                || recv.contains("queryset")
                || recv.contains("filter(")
                || recv.contains("exclude(")
                || recv.contains(".all()")
                || recv.contains("serializer")
        }
        _ => false,
    }
}

fn request_spread(text: &str) -> bool {
    let t = text.trim_start_matches("self.");
    t.starts_with("request.")
        && ["POST", "GET", "data", "query_params"]
            .iter()
            .any(|s| t.contains(s))
}

/// Whether the class body's methods remove or rebuild form fields: `del self.fields[...]`,
/// `self.fields.pop(...)`, `self.fields = ...`, or a call that is handed `self` (a project
/// helper that prunes the fields).
fn fields_changed_at_run_time(ix: &Index, c: &crate::code::index::Class) -> bool {
    c.def.body.iter().any(|stmt| {
        let Stmt::FunctionDef(f) = stmt else {
            return false;
        };
        let text = ix.text(c.file, f.range());
        text.contains("del self.fields[")
            || text.contains("self.fields.pop(")
            || text.contains("self.fields = ")
            || (f.name.as_str() == "__init__"
                && text
                    .lines()
                    .filter(|l| !l.contains("super("))
                    .any(|l| l.contains("(self,") || l.contains("(self)")))
    })
}

fn check(ix: &Index, out: &mut Vec<Hit>) {
    for (cid, c) in ix.classes.iter_enumerated() {
        let Some(kind) = is_model_form(ix, cid) else {
            continue;
        };
        let Some(meta) = c.meta else { continue };
        let mut model = None;
        let mut how = None;
        let mut listed = false;
        for s in &meta.body {
            let Stmt::Assign(a) = s else { continue };
            let Some(Expr::Name(n)) = a.targets.first() else {
                continue;
            };
            match n.id.as_str() {
                "model" => model = Some(&*a.value),
                "fields" if matches!(&*a.value, Expr::StringLiteral(l) if l.value.to_str() == "__all__") =>
                {
                    how = Some((a.range, "fields = \"__all__\""));
                }
                // An explicit list wins: `exclude` then only takes fields out of it.
                "fields" => listed = true,
                "exclude" => how = how.or(Some((a.range, "exclude"))),
                _ => {}
            }
        }
        if listed && how.is_some_and(|(_, h)| h == "exclude") {
            continue;
        }
        let (Some(model), Some((range, how))) = (model, how) else {
            continue;
        };
        let Some((why, fields)) = privileged_model(ix, c.file, model) else {
            continue;
        };
        if kind == "ModelForm" && bound_only_to_get(ix, cid) {
            continue;
        }
        // A serializer nothing hands request data (an export or a nested read field).
        let render_only = kind == "ModelSerializer" && !serializer_fed(ix, cid);
        // Every privilege field read-only, excluded or declared by hand: nothing to assign.
        let protected = protected_fields(ix, cid, meta);
        if fields.iter().all(|f| protected.contains(f)) {
            continue;
        }
        let name = c.def.name.as_str();
        let model_text = ix.text(c.file, model.range());
        // A form whose own code changes its field set at run time (`del self.fields[...]`,
        // `self.fields.pop(...)`, a helper handed `self`): the fields a request can set are
        // not visible, so this is a review item, not a proven exposure.
        let runtime = fields_changed_at_run_time(ix, c);
        out.push(Hit {
            at: InFile { file: c.file, range },
            message: format!(
                "{kind} {name} uses {how} on {model_text}, {why}, so a request can set fields it should never touch.{}",
                if runtime {
                    " Its own code changes the fields at run time; check that these stay out."
                } else if render_only {
                    " No code of the project hands it request data (it only renders), so this matters once one does."
                } else {
                    ""
                }
            ),
            fix: "List the editable fields explicitly (fields = [\"...\"]) and keep privilege fields read-only.".into(),
            key: format!("{name}:{how}"),
            confidence: if runtime || render_only {
                Confidence::Low
            } else {
                Confidence::High
            },
        });
    }
    for (file, _, _) in ix.parsed_files() {
        ix.each_expr(file, &mut |e| {
            let Expr::Call(call) = e else { return };
            for k in &call.arguments.keywords {
                if k.arg.is_none()
                    && request_spread(ix.text(file, k.value.range()))
                    && assigns_model(ix, file, &call.func)
                    && !custom_manager_call(&call.func, call)
                {
                    let func = ix.text(file, call.func.range());
                    let spread = ix.text(file, k.value.range());
                    out.push(Hit {
                        at: InFile { file, range: call.range() },
                        message: format!("{func}(**{spread}) copies every submitted field into the model, including ones the user must not set."),
                        fix: "Validate the input with a form or serializer that lists its fields, and pass only cleaned, named values.".into(),
                        key: format!("{func}:**{spread}"),
                        confidence: Confidence::High,
                    });
                }
            }
        });
        ix.each_stmt(file, &mut |s| {
            let Stmt::For(f) = s else { return };
            let iter = ix.text(file, f.iter.range());
            if !(request_spread(iter) && iter.ends_with(".items()")) {
                return;
            }
            let Expr::Tuple(t) = &*f.target else { return };
            let Some(Expr::Name(key)) = t.elts.first() else {
                return;
            };
            super::support::each_expr(&f.body, &mut |e| {
                if let Expr::Call(c) = e
                    && matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "setattr")
                    && matches!(c.arguments.args.get(1), Some(Expr::Name(n)) if n.id == key.id)
                {
                    out.push(Hit {
                        at: InFile { file, range: c.range() },
                        message: format!("setattr() in a loop over {iter} lets the request set any attribute of the object."),
                        fix: "Copy only an explicit list of allowed fields, validated by a form or serializer.".into(),
                        key: format!("setattr:{iter}"),
                        confidence: Confidence::High,
                    });
                }
            });
        });
    }
}
