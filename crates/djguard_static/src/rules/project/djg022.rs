//! # DJG022: SQL or request data logged at DEBUG level in production
//!
//! ## What it does
//! Fires when LOGGING configures the `django.db.backends` logger (every SQL statement with its
//! parameters) or the `django.request` / `django.server` loggers at level `DEBUG` in deployment
//! settings.
//!
//! ## Why is this bad?
//! `django.db.backends` at DEBUG writes every query with its parameters: password hashes,
//! tokens, personal data and session keys end up in log files, log shippers and third-party
//! log services, which are rarely protected like the database. Request loggers at DEBUG add
//! request details to the same place.
//!
//! ## Example
//! ```python
//! LOGGING = {"version": 1, "loggers": {"django.db.backends": {"level": "DEBUG"}}}
//! ```
//!
//! ## Fix
//! Log these at INFO or above in production (`"level": "WARNING"` for `django.db.backends`),
//! and enable query logging only in development settings.
//!
//! ## References
//! - Django documentation: Logging → django.db.backends
//! - OWASP Logging Cheat Sheet: Data to exclude
//! - CWE-532: Insertion of Sensitive Information into Log File

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
use crate::settings::value::Value;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG022",
        title: "SQL or request data logged at DEBUG level in production",
        severity: Severity::Medium,
        cwe: Some(532),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const SENSITIVE: &[&str] = &["django.db.backends", "django.request", "django.server"];

fn check(cx: &DjangoCx) -> Outcome {
    let logging = cx.get("LOGGING");
    let Ok(Some(loggers)) = logging.value.dict_get(&Value::Str("loggers".into())) else {
        return Ok(Vec::new());
    };
    let mut noisy = Vec::new();
    for name in SENSITIVE {
        let Ok(Some(conf)) = loggers.dict_get(&Value::Str((*name).into())) else {
            continue;
        };
        if let Ok(Some(Value::Str(level))) = conf.dict_get(&Value::Str("level".into()))
            && level.eq_ignore_ascii_case("debug")
        {
            noisy.push(*name);
        }
    }
    if noisy.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Hit::new(
        "LOGGING",
        format!(
            "LOGGING sets {} to DEBUG, so queries with their parameters or request data are written to the logs.",
            noisy.join(" and ")
        ),
        "Use level WARNING (or INFO) for these loggers in production; keep DEBUG for development settings.",
    )])
}
