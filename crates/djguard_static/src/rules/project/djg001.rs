//! # DJG001: Django cannot load these settings
//!
//! ## What it does
//! Fires when a settings module holds a value that makes Django refuse to start before any
//! check runs: `ALLOWED_HOSTS`, `INSTALLED_APPS`, `TEMPLATE_DIRS`, `LOCALE_PATHS` or
//! `SECRET_KEY_FALLBACKS` that is not a list or tuple (and, before Django 3.2, an empty
//! `SECRET_KEY`).
//!
//! ## Why is this bad?
//! `manage.py check --deploy`, the test suite and the server all stop with
//! `ImproperlyConfigured`. A common way to get there is reading a comma-separated
//! environment variable straight into `ALLOWED_HOSTS`, which yields a string; deploys then
//! fail, or someone "fixes" it in a hurry with `["*"]`. While the settings do not load, none
//! of Django's `security.*` checks can be judged, so djguard reports this instead of them.
//!
//! ## Example
//! ```python
//! ALLOWED_HOSTS = "example.com,www.example.com"
//! ```
//!
//! ## Fix
//! Use a list: `ALLOWED_HOSTS = ["example.com", "www.example.com"]`, or split the variable:
//! `ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")`.
//!
//! ## References
//! - Django settings reference: ALLOWED_HOSTS, INSTALLED_APPS, SECRET_KEY_FALLBACKS
//! - `django.conf.Settings.__init__` (the `tuple_settings` validation)

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG001",
    title: "Django cannot load these settings",
    severity: Severity::High,
    cwe: None,
    groups: &["settings"],
};
