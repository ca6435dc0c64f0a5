//! Django's global defaults (`django/conf/global_settings.py`) for the settings our checks
//! read, per release. A setting a module does not write takes this value, exactly as
//! `Settings.__init__` does; a name that does not exist in that release is `None` here.

use crate::django::version::DjangoVersion;
use crate::settings::value::Value;

pub fn default_for(name: &str, v: DjangoVersion) -> Option<Value> {
    let s = |x: &str| Some(Value::Str(x.to_string()));
    let empty_list = || Some(Value::List(Vec::new()));
    match name {
        "DEBUG" => Some(Value::Bool(false)),
        "SECRET_KEY" => s(""),
        "SECRET_KEY_FALLBACKS" if v.at_least(4, 1) => empty_list(),
        "ALLOWED_HOSTS"
        | "MIDDLEWARE"
        | "INSTALLED_APPS"
        | "TEMPLATES"
        | "SILENCED_SYSTEM_CHECKS" => empty_list(),
        "X_FRAME_OPTIONS" => s("DENY"),
        "SECURE_CONTENT_TYPE_NOSNIFF" => Some(Value::Bool(true)),
        "SECURE_REFERRER_POLICY" if v.at_least(3, 1) => s("same-origin"),
        "SECURE_REFERRER_POLICY" => Some(Value::None),
        "SECURE_CROSS_ORIGIN_OPENER_POLICY" if v.at_least(4, 0) => s("same-origin"),
        "SECURE_HSTS_SECONDS" => Some(Value::Int(0)),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS" | "SECURE_HSTS_PRELOAD" | "SECURE_SSL_REDIRECT" => {
            Some(Value::Bool(false))
        }
        "SESSION_COOKIE_SECURE" | "CSRF_COOKIE_SECURE" | "CSRF_USE_SESSIONS" => {
            Some(Value::Bool(false))
        }
        "SESSION_COOKIE_HTTPONLY" => Some(Value::Bool(true)),
        "SECURE_CSP" | "SECURE_CSP_REPORT_ONLY" if v.at_least(6, 0) => {
            Some(Value::Dict(Vec::new()))
        }
        "CSRF_FAILURE_VIEW" => s("django.views.csrf.csrf_failure"),
        "DEFAULT_HASHING_ALGORITHM" if v.at_least(3, 1) && !v.at_least(4, 0) => s("sha256"),
        "AUTHENTICATION_BACKENDS" => Some(Value::List(vec![Value::Str(
            "django.contrib.auth.backends.ModelBackend".into(),
        )])),
        "AUTH_PASSWORD_VALIDATORS" | "CSRF_TRUSTED_ORIGINS" => empty_list(),
        "PASSWORD_HASHERS" => Some(Value::List(
            [
                "django.contrib.auth.hashers.PBKDF2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
                "django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
            ]
            .iter()
            .map(|h| Value::Str((*h).into()))
            .chain(if v.at_least(4, 0) {
                Some(Value::Str(
                    "django.contrib.auth.hashers.ScryptPasswordHasher".into(),
                ))
            } else {
                None
            })
            .collect(),
        )),
        "SESSION_COOKIE_AGE" => Some(Value::Int(60 * 60 * 24 * 7 * 2)),
        "SESSION_COOKIE_SAMESITE" | "CSRF_COOKIE_SAMESITE" => s("Lax"),
        "DATA_UPLOAD_MAX_MEMORY_SIZE" => Some(Value::Int(2_621_440)),
        "DATA_UPLOAD_MAX_NUMBER_FIELDS" => Some(Value::Int(1000)),
        // Added in the February 2023 security releases (3.2.18, 4.0.10, 4.1.7) and 4.2.
        "DATA_UPLOAD_MAX_NUMBER_FILES"
            if v >= DjangoVersion::new(4, 1, 7)
                || (v.series() == (3, 2) && v.patch >= 18)
                || (v.series() == (4, 0) && v.patch >= 10) =>
        {
            Some(Value::Int(100))
        }
        "SECURE_PROXY_SSL_HEADER" => Some(Value::None),
        "DATABASES" => Some(Value::Dict(Vec::new())),
        "EMAIL_HOST_PASSWORD" => s(""),
        _ => None,
    }
}
