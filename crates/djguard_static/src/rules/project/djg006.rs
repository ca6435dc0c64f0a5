//! # DJG006: Weak or missing password validation
//!
//! ## What it does
//! Fires when `django.contrib.auth` is installed and AUTH_PASSWORD_VALIDATORS has no
//! `MinimumLengthValidator` (Django's, a project class of that name, or any validator given a
//! `min_length` option), or sets its `min_length` below 10 (Django's default is 8).
//!
//! ## Why is this bad?
//! Without validators Django accepts any password, including `1` and `password`; short minimums
//! leave accounts to online guessing and credential stuffing. Length is the property that matters
//! most, which is why current guidance asks for more than 8 characters.
//!
//! ## Example
//! ```python
//! AUTH_PASSWORD_VALIDATORS = []
//! ```
//!
//! ## Fix
//! ```python
//! AUTH_PASSWORD_VALIDATORS = [
//!     {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
//!     {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
//!      "OPTIONS": {"min_length": 12}},
//!     {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
//!     {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
//! ]
//! ```
//!
//! ## References
//! - Django documentation: Password validation
//! - NIST SP 800-63B, 5.1.1 Memorized Secrets
//! - CWE-521: Weak Password Requirements

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG006",
        title: "Weak or missing password validation",
        severity: Severity::Low,
        cwe: Some(521),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

const MIN_LENGTH: &str = "django.contrib.auth.password_validation.MinimumLengthValidator";

fn check(cx: &DjangoCx) -> Outcome {
    if !cx.contains("INSTALLED_APPS", "django.contrib.auth")? {
        return Ok(Vec::new());
    }
    let validators = cx.get("AUTH_PASSWORD_VALIDATORS");
    let items = validators
        .value
        .iter_elements()
        .map_err(|u| Unknown::new(format!("AUTH_PASSWORD_VALIDATORS: {}", u.reason)))?;
    let mut length: Option<i128> = None;
    // The validator that sets the longest minimum (for the message).
    let mut by = String::from("MinimumLengthValidator");
    for v in &items {
        let name = v.dict_get(&Value::Str("NAME".into())).ok().flatten();
        let options = v
            .dict_get(&Value::Str("OPTIONS".into()))
            .ok()
            .flatten()
            .cloned()
            .unwrap_or(Value::Dict(Vec::new()));
        // Django's validator, a project's own subclass of the same name, or any validator
        // configured with a `min_length` (a project's `PasswordLengthValidator`).
        let length_option = matches!(
            options.dict_get(&Value::Str("min_length".into())),
            Ok(Some(_)) | Err(_)
        );
        if !length_option
            && !matches!(name, Some(Value::Str(n)) if n == MIN_LENGTH || n.ends_with(".MinimumLengthValidator"))
        {
            continue;
        }
        let min = match options.dict_get(&Value::Str("min_length".into())) {
            Ok(Some(Value::Int(i))) => *i,
            Ok(None) => 8,
            Ok(Some(Value::Unknown(u))) => {
                return Err(Unknown::new(format!(
                    "AUTH_PASSWORD_VALIDATORS: {}",
                    u.reason
                )));
            }
            Err(u) => {
                return Err(Unknown::new(format!(
                    "AUTH_PASSWORD_VALIDATORS: {}",
                    u.reason
                )));
            }
            Ok(Some(_)) => 8,
        };
        if length.is_none_or(|l| min > l) {
            if let Some(Value::Str(n)) = name {
                by = n.rsplit('.').next().unwrap_or(n).to_string();
            }
            length = Some(min);
        }
    }
    let message = match length {
        None => "AUTH_PASSWORD_VALIDATORS has no MinimumLengthValidator, so users may choose passwords of any length.".to_string(),
        Some(n) if n < 10 => format!("Passwords need only {n} characters ({by}), below the 10+ that resists online guessing."),
        Some(_) => return Ok(Vec::new()),
    };
    Ok(vec![Hit::new(
        "AUTH_PASSWORD_VALIDATORS",
        message,
        "Add MinimumLengthValidator with OPTIONS {\"min_length\": 12}, plus CommonPasswordValidator.",
    )])
}
