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
        _ => None,
    }
}
