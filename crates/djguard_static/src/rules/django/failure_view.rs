//! Resolving CSRF_FAILURE_VIEW the way `django.urls.get_callable` would, without importing:
//! project modules are looked up in the project model; anything outside the project is
//! unknown (it depends on what is installed).

use super::DjangoCx;
use crate::python::ast::{self, Stmt};
use crate::settings::value::{Unknown, Value};

pub const DEFAULT_VIEW: &str = "django.views.csrf.csrf_failure";

pub enum Resolution {
    /// Django's own view, which takes the right arguments.
    Default,
    /// `get_callable` raises ImportError: Django reports E102.
    ImportFails(String),
    /// A function of the project; `Ok(())` when `view(None, reason=None)` binds.
    Function {
        binds: Result<(), String>,
    },
    Unknown(Unknown),
}

pub fn resolve(cx: &DjangoCx) -> Resolution {
    let setting = cx.get("CSRF_FAILURE_VIEW");
    match &setting.value {
        Value::Str(s) if s == DEFAULT_VIEW => Resolution::Default,
        Value::Str(s) => resolve_path(cx, s),
        Value::Object {
            qualname,
            callable: true,
        } => match qualname.rsplit_once('.') {
            Some((module, func)) => function_in(cx, module, func, 0),
            None => Resolution::Unknown(Unknown::new(format!(
                "CSRF_FAILURE_VIEW is {qualname}, which cannot be followed"
            ))),
        },
        Value::Unknown(u) => {
            Resolution::Unknown(Unknown::new(format!("CSRF_FAILURE_VIEW: {}", u.reason)))
        }
        other => Resolution::Unknown(Unknown::new(format!(
            "CSRF_FAILURE_VIEW is a {}, which makes Django's check raise ViewDoesNotExist instead of reporting",
            other.type_name()
        ))),
    }
}

fn resolve_path(cx: &DjangoCx, path: &str) -> Resolution {
    let Some((module, func)) = path.rsplit_once('.') else {
        return Resolution::ImportFails(format!("'{path}' is not a dotted path"));
    };
    if cx.project.module(module).is_some() {
        return function_in(cx, module, func, 0);
    }
    let top = module.split('.').next().unwrap_or(module);
    if top == "django" || !cx.project.has_top_level(top) {
        return Resolution::Unknown(Unknown::new(format!(
            "CSRF_FAILURE_VIEW names '{module}', which is not part of the project; whether it imports depends on the installed packages"
        )));
    }
    // The module is missing from a package of the project. Django then asks whether the
    // parent module exists: if it does, it raises ViewDoesNotExist (the check crashes); if
    // the parent cannot be imported either, the ImportError becomes E102.
    match module.rsplit_once('.') {
        Some((parent, _)) if cx.project.module(parent).is_some() => {
            Resolution::Unknown(Unknown::new(format!(
                "module '{module}' does not exist but its package does; Django's check raises ViewDoesNotExist instead of reporting"
            )))
        }
        _ => Resolution::ImportFails(format!("module '{module}' does not exist in the project")),
    }
}

fn function_in(cx: &DjangoCx, module: &str, func: &str, depth: u8) -> Resolution {
    let Some(file) = cx.project.module(module) else {
        return Resolution::Unknown(Unknown::new(format!(
            "module '{module}' is not part of the project"
        )));
    };
    let Some(parsed) = &cx.project.python[file].parsed else {
        return Resolution::Unknown(Unknown::new(format!(
            "{} could not be read",
            cx.project.python[file].rel
        )));
    };
    if !parsed.syntax_errors.is_empty() {
        return Resolution::Unknown(Unknown::new(format!(
            "{} has syntax errors",
            cx.project.python[file].rel
        )));
    }
    // The last top-level definition of the name wins, as at import time.
    let mut found: Option<&Stmt> = None;
    for stmt in &parsed.module.body {
        let binds = match stmt {
            Stmt::FunctionDef(f) => f.name.id.as_str() == func,
            Stmt::ClassDef(c) => c.name.id.as_str() == func,
            Stmt::Assign(a) => a
                .targets
                .iter()
                .any(|t| matches!(t, ast::Expr::Name(n) if n.id.as_str() == func)),
            Stmt::ImportFrom(i) => i.names.iter().any(|a| {
                a.asname
                    .as_ref()
                    .map_or(a.name.id.as_str(), |x| x.id.as_str())
                    == func
            }),
            _ => false,
        };
        if binds {
            found = Some(stmt);
        }
    }
    match found {
        Some(Stmt::FunctionDef(f)) => {
            // Django's view decorators wrap with functools.wraps, and inspect.signature()
            // follows `__wrapped__`: they leave the signature as written.
            let imports = crate::python::semantic::ImportMap::from_module(
                &parsed.module,
                &cx.project.python[file].package(),
            );
            let opaque = f.decorator_list.iter().find(|d| {
                let target = match &d.expression {
                    ast::Expr::Call(c) => &*c.func,
                    other => other,
                };
                !imports
                    .qualified_name(target)
                    .is_some_and(|q| q.starts_with("django.views.decorators."))
            });
            if let Some(d) = opaque {
                return Resolution::Unknown(Unknown::new(format!(
                    "{module}.{func} is decorated (`@{}`), so its signature cannot be read statically",
                    parsed.slice(crate::python::Ranged::range(&d.expression))
                )));
            }
            Resolution::Function {
                binds: binds_request_and_reason(&f.parameters),
            }
        }
        Some(Stmt::Assign(a)) => match &*a.value {
            ast::Expr::Lambda(l) => {
                let empty = ast::Parameters::default();
                Resolution::Function {
                    binds: binds_request_and_reason(l.parameters.as_deref().unwrap_or(&empty)),
                }
            }
            _ => Resolution::Unknown(Unknown::new(format!(
                "{module}.{func} is assigned a value that cannot be followed"
            ))),
        },
        Some(Stmt::ImportFrom(i)) if depth < 8 => {
            let package = cx.project.python[file].package();
            let target = crate::python::semantic::resolve_relative(
                &package,
                i.level,
                i.module.as_ref().map(|m| m.id.as_str()),
            );
            let alias = i.names.iter().find(|a| {
                a.asname
                    .as_ref()
                    .map_or(a.name.id.as_str(), |x| x.id.as_str())
                    == func
            });
            match (target, alias) {
                (Some(t), Some(a)) => function_in(cx, &t, a.name.id.as_str(), depth + 1),
                _ => Resolution::Unknown(Unknown::new(format!(
                    "{module}.{func} is imported from elsewhere"
                ))),
            }
        }
        Some(_) => Resolution::Unknown(Unknown::new(format!(
            "{module}.{func} is a class or other object; its call signature is not followed"
        ))),
        None => Resolution::Unknown(Unknown::new(format!(
            "'{module}' has no '{func}'; Django's check raises ViewDoesNotExist instead of reporting"
        ))),
    }
}

/// Whether `inspect.signature(view).bind(None, reason=None)` succeeds.
pub fn binds_request_and_reason(p: &ast::Parameters) -> Result<(), String> {
    let positional: Vec<&ast::ParameterWithDefault> =
        p.posonlyargs.iter().chain(p.args.iter()).collect();
    let n_posonly = p.posonlyargs.len();
    // The one positional argument (None) takes the first positional parameter, or *args.
    let first = positional.first();
    if first.is_none() && p.vararg.is_none() {
        return Err("it takes no positional argument for the request".into());
    }
    // `reason=` by keyword: a positional-or-keyword or keyword-only parameter named `reason`
    // other than the one already bound, else **kwargs.
    let reason_at = positional
        .iter()
        .enumerate()
        .skip(n_posonly)
        .find(|(_, a)| a.parameter.name.id.as_str() == "reason")
        .map(|(i, _)| i);
    let reason_kwonly = p
        .kwonlyargs
        .iter()
        .any(|a| a.parameter.name.id.as_str() == "reason");
    if reason_at == Some(0) {
        return Err("its first parameter is `reason`, which would get two values".into());
    }
    if reason_at.is_none() && !reason_kwonly && p.kwarg.is_none() {
        return Err("it has no `reason` parameter and no **kwargs".into());
    }
    for (i, a) in positional.iter().enumerate().skip(1) {
        if a.default.is_none() && Some(i) != reason_at {
            return Err(format!(
                "its parameter `{}` has no default and would be missing",
                a.parameter.name.id.as_str()
            ));
        }
    }
    for a in &p.kwonlyargs {
        if a.default.is_none() && a.parameter.name.id.as_str() != "reason" {
            return Err(format!(
                "its keyword-only parameter `{}` has no default",
                a.parameter.name.id.as_str()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ParsedModule;

    fn binds(src: &str) -> bool {
        let p = ParsedModule::parse(src.to_string());
        let Some(Stmt::FunctionDef(f)) = p.module.body.first() else {
            panic!("not a def")
        };
        binds_request_and_reason(&f.parameters).is_ok()
    }

    #[test]
    fn signature_binding_matches_inspect() {
        assert!(binds("def f(request, reason=''): pass"));
        assert!(binds("def f(request, reason): pass"));
        assert!(binds("def f(request, **kw): pass"));
        assert!(binds("def f(*args, **kw): pass"));
        assert!(binds("def f(request, /, *, reason): pass"));
        assert!(binds("def f(request, template_name='x', reason=''): pass"));
        assert!(!binds("def f(request): pass"));
        assert!(!binds("def f(): pass"));
        assert!(!binds("def f(reason, request=None): pass"));
        assert!(!binds("def f(request, reason, extra): pass"));
        assert!(!binds("def f(request, reason, /): pass"));
        assert!(!binds("def f(request, reason, /, **kw): pass"));
        assert!(binds("def f(request, reason='', /, **kw): pass"));
        assert!(!binds("def f(request, *, reason, other): pass"));
    }
}
