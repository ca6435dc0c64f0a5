//! Settings: which modules the project uses, and the effective value of each setting as
//! Django would see it (global defaults, then the module's uppercase names).

pub mod discover;
pub mod env;
pub mod eval;
pub mod readers;
pub mod value;

use std::rc::Rc;

use crate::django::defaults::default_for;
use crate::django::version::DjangoVersion;
use env::EnvDep;
use eval::{ModuleScope, Origin};
use value::{Unknown, Value, is_setting_name};

/// One setting's effective value and where it came from.
#[derive(Clone, Debug)]
pub struct Setting {
    pub name: String,
    pub value: Value,
    /// Where the value was written; `None` when it is Django's default.
    pub origin: Option<Origin>,
    /// Environment variables the value depends on.
    pub env: Vec<EnvDep>,
}

impl Setting {
    pub fn is_default(&self) -> bool {
        self.origin.is_none()
    }

    /// `describe()` for settings Django tests with `is True`: notes that a truthy non-boolean
    /// (`1`, `"True"`) does not count.
    pub fn describe_not_true(&self) -> String {
        let note = match &self.value {
            Value::Bool(_) | Value::None => "",
            v if v.truthy() == Ok(true) => " (only the boolean True counts)",
            _ => "",
        };
        format!("{}{note}", self.describe())
    }

    /// `NAME = value` or `NAME = value (Django's default)`, for messages.
    pub fn describe(&self) -> String {
        let v = match &self.value {
            Value::Unknown(_) => "an unknown value".to_string(),
            v => v.repr(),
        };
        if self.is_default() {
            format!("{} is {v} (Django's default)", self.name)
        } else {
            format!("{} is {v}", self.name)
        }
    }
}

/// The settings Django would build from one module for one release.
pub struct EffectiveSettings {
    pub module_name: String,
    pub file: usize,
    pub version: DjangoVersion,
    scope: Rc<ModuleScope>,
}

/// Settings Django validates while loading; anything else makes `Settings.__init__` raise.
const TUPLE_SETTINGS: &[&str] = &[
    "ALLOWED_HOSTS",
    "INSTALLED_APPS",
    "TEMPLATE_DIRS",
    "LOCALE_PATHS",
    "SECRET_KEY_FALLBACKS",
];

impl EffectiveSettings {
    pub fn new(
        module_name: String,
        file: usize,
        version: DjangoVersion,
        scope: Rc<ModuleScope>,
    ) -> Self {
        EffectiveSettings {
            module_name,
            file,
            version,
            scope,
        }
    }

    pub fn get(&self, name: &str) -> Setting {
        if let Some(b) = self.scope.names.get(name).filter(|_| is_setting_name(name)) {
            return Setting {
                name: name.to_string(),
                value: b.value.clone(),
                origin: Some(b.origin),
                env: b.env.clone(),
            };
        }
        let value = match (&self.scope.opaque, default_for(name, self.version)) {
            (Some(u), _) => Value::Unknown(u.clone()),
            (None, Some(d)) => d,
            // Not a setting in this release: `getattr(settings, NAME, None)` gives None.
            (None, None) => Value::None,
        };
        Setting {
            name: name.to_string(),
            value,
            origin: None,
            env: Vec::new(),
        }
    }

    /// Why Django would refuse to load these settings, if it would (known cases only): the
    /// setting at fault and Django's message.
    pub fn load_error(&self) -> Option<(String, String)> {
        for name in TUPLE_SETTINGS {
            if let Some(b) = self.scope.names.get(*name)
                && !matches!(
                    b.value,
                    Value::List(_) | Value::Tuple(_) | Value::Unknown(_)
                )
            {
                return Some((
                    name.to_string(),
                    format!(
                        "The {name} setting must be a list or a tuple (it is a {}).",
                        b.value.type_name()
                    ),
                ));
            }
        }
        let empty_key = matches!(self.get("SECRET_KEY").value.truthy(), Ok(false));
        if empty_key && !self.version.at_least(3, 2) {
            return Some((
                "SECRET_KEY".into(),
                "The SECRET_KEY setting must not be empty.".into(),
            ));
        }
        // Django 3.2 validates the key lazily, but the admin's password-reset token generator
        // reads it while `django.setup()` imports the app, so setup fails before any check.
        if empty_key
            && self.version.series() == (3, 2)
            && matches!(
                self.get("INSTALLED_APPS")
                    .value
                    .py_contains(&Value::Str("django.contrib.admin".into())),
                Ok(true)
            )
        {
            return Some(("SECRET_KEY".into(), "The SECRET_KEY setting must not be empty (Django 3.2 reads it while loading django.contrib.admin).".into()));
        }
        None
    }

    /// The names the module itself defines that Django keeps as settings, sorted.
    pub fn explicit_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .scope
            .names
            .keys()
            .map(String::as_str)
            .filter(|n| is_setting_name(n))
            .collect();
        names.sort_unstable();
        names
    }

    pub fn opaque(&self) -> Option<&Unknown> {
        self.scope.opaque.as_ref()
    }
}
