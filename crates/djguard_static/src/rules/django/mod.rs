//! Django's own `security.*` system checks, re-implemented statically with Django's ids and
//! exact conditions per release. A check only fires on values it knows; when a value it needs
//! is unknown, the check is reported as undecided with the reason.

use crate::django::version::DjangoVersion;
use crate::project::Project;
use crate::python::ast;
use crate::rules::RuleMeta;
pub use crate::settings::value::{Known, Unknown, Value, all_of, any_of};
use crate::settings::{EffectiveSettings, Setting};

mod e023;
mod e024;
mod e026;
mod e100;
mod e101;
mod e102;
mod failure_view;
mod w001;
mod w002;
mod w003;
mod w004;
mod w005;
mod w006;
mod w008;
mod w009;
mod w010;
mod w011;
mod w012;
mod w013;
mod w014;
mod w015;
mod w016;
mod w018;
mod w019;
mod w020;
mod w021;
mod w022;
mod w025;
mod w027;

pub const SECURITY_MIDDLEWARE: &str = "django.middleware.security.SecurityMiddleware";
pub const XFRAME_MIDDLEWARE: &str = "django.middleware.clickjacking.XFrameOptionsMiddleware";
pub const CSRF_MIDDLEWARE: &str = "django.middleware.csrf.CsrfViewMiddleware";
pub const SESSION_MIDDLEWARE: &str = "django.contrib.sessions.middleware.SessionMiddleware";
pub const CSP_MIDDLEWARE: &str = "django.middleware.csp.ContentSecurityPolicyMiddleware";
pub const SESSIONS_APP: &str = "django.contrib.sessions";

/// One Django check.
pub struct DjangoRule {
    pub meta: RuleMeta,
    /// Registered with `deploy=True`: runs only for deployment settings.
    pub deploy_only: bool,
    /// First release (series) with this check, and the first without it.
    pub since: (u32, u32),
    pub until: Option<(u32, u32)>,
    pub check: fn(&DjangoCx) -> Outcome,
}

impl DjangoRule {
    pub fn exists_in(&self, v: DjangoVersion) -> bool {
        v.at_least(self.since.0, self.since.1) && self.until.is_none_or(|(a, b)| !v.at_least(a, b))
    }
}

/// What one check produces: the messages it emits (empty when it passes), or why it could not
/// decide.
pub type Outcome = Known<Vec<Hit>>;

/// Where a settings finding is reported: where `setting` was written (or the top of the
/// settings module when it is Django's default), unless `origin` points at code instead.
#[derive(Clone, Debug)]
pub struct SettingAt {
    pub setting: String,
    /// Where to report it, when that is code rather than a setting (file index, range).
    pub origin: Option<crate::settings::eval::Origin>,
}

/// One emitted message. `key` distinguishes repeated messages of one check (W025 per
/// fallback key). Confidence is below high when the exact condition holds but the project may
/// provide the protection another way djguard cannot judge (a project subclass of the
/// middleware).
pub type Hit = super::Hit<SettingAt>;

impl Hit {
    pub fn new(setting: impl Into<String>, message: String, fix: impl Into<String>) -> Hit {
        let setting = setting.into();
        Hit {
            key: setting.clone(),
            at: SettingAt {
                setting,
                origin: None,
            },
            message,
            fix: fix.into(),
            confidence: crate::finding::Confidence::High,
        }
    }
}

/// The finding of W001-W003 when a project middleware stands in for Django's: Django's check
/// reports it (it looks for the exact dotted name, and djguard keeps that parity), but the
/// protection may well be there, so it is medium confidence and says so.
pub fn project_stand_in(django_class: &str, local: &str, header: Option<&str>) -> Hit {
    let how = match header {
        Some(h) => format!("sets the {h} header itself or subclasses it"),
        None => "subclasses it".to_string(),
    };
    let mut hit = Hit::new(
        "MIDDLEWARE",
        format!(
            "MIDDLEWARE lists the project's {local}, which {how}, instead of '{django_class}': Django's check reports this because it looks for the exact class, and djguard cannot tell whether the replacement keeps all of Django's protection."
        ),
        format!(
            "If {local} keeps Django's behaviour, silence the check (SILENCED_SYSTEM_CHECKS or # djguard: ignore); otherwise list '{django_class}' in MIDDLEWARE."
        ),
    );
    hit.confidence = crate::finding::Confidence::Medium;
    hit
}

pub struct DjangoCx<'a> {
    pub settings: &'a EffectiveSettings,
    pub project: &'a Project,
    pub version: DjangoVersion,
    /// Environment variables behind every setting the running check has read.
    pub deps: std::cell::RefCell<Vec<crate::settings::env::EnvDep>>,
}

/// Fire when `condition` is known true, pass when known false.
pub fn fire_if(condition: Known<bool>, hit: impl FnOnce() -> Hit) -> Outcome {
    match condition {
        Ok(true) => Ok(vec![hit()]),
        Ok(false) => Ok(Vec::new()),
        Err(u) => Err(u),
    }
}

pub fn not(k: Known<bool>) -> Known<bool> {
    k.map(|b| !b)
}

impl<'a> DjangoCx<'a> {
    pub fn new(settings: &'a EffectiveSettings, project: &'a Project) -> Self {
        DjangoCx {
            settings,
            project,
            version: settings.version,
            deps: std::cell::RefCell::new(Vec::new()),
        }
    }

    pub fn get(&self, name: &str) -> Setting {
        let s = self.settings.get(name);
        crate::settings::env::merge_deps(&mut self.deps.borrow_mut(), &s.env);
        s
    }

    fn named(name: &str, k: Known<bool>) -> Known<bool> {
        k.map_err(|u| Unknown::new(format!("{name}: {}", u.reason)))
    }

    pub fn truthy(&self, name: &str) -> Known<bool> {
        Self::named(name, self.get(name).value.truthy())
    }

    pub fn is_true(&self, name: &str) -> Known<bool> {
        Self::named(name, self.get(name).value.is_true())
    }

    pub fn is_none(&self, name: &str) -> Known<bool> {
        Self::named(name, self.get(name).value.is_none())
    }

    /// The cookie flags: `is True` since Django 4.1, plain truthiness before.
    pub fn cookie_flag_on(&self, name: &str) -> Known<bool> {
        if self.version.at_least(4, 1) {
            self.is_true(name)
        } else {
            self.truthy(name)
        }
    }

    /// Exact-string membership, as Django tests middleware and apps.
    pub fn contains(&self, setting: &str, item: &str) -> Known<bool> {
        Self::named(
            setting,
            self.get(setting)
                .value
                .py_contains(&Value::Str(item.to_string())),
        )
    }

    pub fn middleware(&self, path: &str) -> Known<bool> {
        self.contains("MIDDLEWARE", path)
    }

    /// The project's own middleware classes listed in MIDDLEWARE (entries whose module is a
    /// file of the project), as (dotted entry, class definition, module text, module).
    fn project_middleware(
        &self,
    ) -> Vec<(String, &'a ast::StmtClassDef, &'a str, &'a ast::ModModule)> {
        // The entries present in every branch (one only some branches add protects nothing
        // for sure); others in the list may be undecided.
        let items = match &self.get("MIDDLEWARE").value {
            Value::List(v) | Value::Tuple(v) => v.clone(),
            _ => return Vec::new(),
        };
        let mut out = Vec::new();
        for item in items {
            let Value::Str(entry) = item else { continue };
            let Some((module, class)) = entry.rsplit_once('.') else {
                continue;
            };
            if module.starts_with("django.") {
                continue;
            }
            let Some(file) = self.project.module(module) else {
                continue;
            };
            let Some(parsed) = self.project.python[file].parsed.as_ref() else {
                continue;
            };
            for stmt in &parsed.module.body {
                if let ast::Stmt::ClassDef(def) = stmt
                    && def.name.as_str() == class
                {
                    // The class's module: a header may be set by a helper beside the class.
                    out.push((entry.clone(), def, parsed.text.as_str(), &parsed.module));
                }
            }
        }
        out
    }

    /// A project middleware in MIDDLEWARE that does the job of Django's `django_class`: a
    /// subclass of it (by the base's name or import alias), or, when `header` is given, a class
    /// whose module sets that response header itself. Django's own check looks for the exact dotted name
    /// only; djguard does not report a protection the project provides another way.
    pub fn project_middleware_doing(
        &self,
        django_class: &str,
        header: Option<&str>,
    ) -> Option<String> {
        let short = django_class.rsplit('.').next().unwrap_or(django_class);
        self.project_middleware()
            .into_iter()
            .find(|(_, def, text, module)| {
                // Django's class under its own name or the alias the module imports it as.
                let mut names = vec![short.to_string()];
                for stmt in &module.body {
                    if let ast::Stmt::ImportFrom(i) = stmt {
                        for a in &i.names {
                            if a.name.as_str() == short
                                && let Some(asname) = &a.asname
                            {
                                names.push(asname.to_string());
                            }
                        }
                    }
                }
                let subclass = def.arguments.as_ref().is_some_and(|args| {
                    args.args.iter().any(|base| match base {
                        ast::Expr::Name(n) => names.iter().any(|x| x == n.id.as_str()),
                        ast::Expr::Attribute(a) => a.attr.as_str() == short,
                        _ => false,
                    })
                });
                let sets_header = header.is_some_and(|h| {
                    let lower = text.to_ascii_lowercase();
                    let h = h.to_ascii_lowercase();
                    lower.contains(&format!("\"{h}\"")) || lower.contains(&format!("'{h}'"))
                });
                subclass || sets_header
            })
            .map(|(entry, _, _, _)| entry)
    }

    /// A project middleware in MIDDLEWARE whose class raises `exception` itself (`raise
    /// DisallowedHost(...)`: the project validates the Host header its own way).
    pub fn project_middleware_raising(&self, exception: &str) -> Option<String> {
        let needle = format!("raise {exception}(");
        self.project_middleware()
            .into_iter()
            .find(|(_, def, text, _)| {
                let range = crate::python::Ranged::range(*def);
                text.get(usize::from(range.start())..usize::from(range.end()))
                    .is_some_and(|body| body.contains(&needle))
            })
            .map(|(entry, _, _, _)| entry)
    }

    pub fn security_middleware(&self) -> Known<bool> {
        self.middleware(SECURITY_MIDDLEWARE)
    }

    /// Whether the message with this id is hidden by SILENCED_SYSTEM_CHECKS (exact, case-
    /// sensitive membership — or substring, when the setting is a single string).
    pub fn silenced(&self, id: &str) -> Known<bool> {
        self.contains("SILENCED_SYSTEM_CHECKS", id)
    }

    /// Django's secret-key rule (W009 and W025).
    pub fn key_is_strong(&self, key: &Value, what: &str) -> Known<bool> {
        match key {
            Value::Str(s) => {
                let chars: std::collections::HashSet<char> = s.chars().collect();
                let prefix_ok = !self.version.at_least(3, 2) || !s.starts_with("django-insecure-");
                Ok(chars.len() >= 5 && s.chars().count() >= 50 && prefix_ok)
            }
            Value::Unknown(u) => Err(Unknown::new(format!("{what}: {}", u.reason))),
            other => Err(Unknown::new(format!(
                "{what} is a {}, which makes Django's check raise an exception",
                other.type_name()
            ))),
        }
    }
}

pub static ALL: &[&DjangoRule] = &[
    &w001::RULE,
    &w002::RULE,
    &w003::RULE,
    &w004::RULE,
    &w005::RULE,
    &w006::RULE,
    &w008::RULE,
    &w009::RULE,
    &w010::RULE,
    &w011::RULE,
    &w012::RULE,
    &w013::RULE,
    &w014::RULE,
    &w015::RULE,
    &w016::RULE,
    &w018::RULE,
    &w019::RULE,
    &w020::RULE,
    &w021::RULE,
    &w022::RULE,
    &e023::RULE,
    &e024::RULE,
    &w025::RULE,
    &e026::RULE,
    &w027::RULE,
    &e100::RULE,
    &e101::RULE,
    &e102::RULE,
];

/// The session-cookie checks W010–W015 share one shape: which of the sessions app and the
/// session middleware are present decides the id.
pub fn session_cookie_outcome(
    cx: &DjangoCx,
    flag: &'static str,
    want_app: bool,
    want_mw: bool,
    hit: impl FnOnce() -> Hit,
) -> Outcome {
    let app = cx.contains("INSTALLED_APPS", SESSIONS_APP);
    let mw = cx.middleware(SESSION_MIDDLEWARE);
    let app_ok = if want_app { app } else { not(app) };
    let mw_ok = if want_mw { mw } else { not(mw) };
    fire_if(
        crate::settings::value::all_of([not(cx.cookie_flag_on(flag)), app_ok, mw_ok]),
        hit,
    )
}
