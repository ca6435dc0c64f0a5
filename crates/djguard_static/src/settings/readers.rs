//! Environment readers as the libraries implement them: `os.environ`/`os.getenv`,
//! django-environ (`environ.Env`), python-decouple (`config`, `Csv`) and environs (`Env`).
//! Each read yields the value the deployment would see — the given variable, cast the way the
//! library casts it, or the library's default — plus the dependency on that variable. A
//! variable that is required but not given is unknown (the library raises).
//! Tests in `tests/envlibs/` compare these readings with the libraries themselves.

use crate::settings::env::{EnvDep, Environment};
use crate::settings::value::{Unknown, Value};

/// What a recognised reader call produced.
pub struct Read {
    pub value: Value,
    pub dep: Option<EnvDep>,
}

/// A django-environ `Env(...)` instance: its scheme (`DEBUG=(bool, False)`).
#[derive(Debug, Clone, Default)]
pub struct EnvironScheme {
    pub entries: Vec<(String, Value)>,
}

const ENVIRON_INSTANCE: &str = "environ.Env@";
const ENVIRONS_INSTANCE: &str = "environs.Env()";
const DECOUPLE_CONFIG: &str = "decouple.config";

fn arg<'a>(
    args: &'a [Value],
    kwargs: &'a [(String, Value)],
    pos: usize,
    name: &str,
) -> Option<&'a Value> {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .or_else(|| args.get(pos))
}

fn var_name(args: &[Value], kwargs: &[(String, Value)], name: &str) -> Result<String, Unknown> {
    match arg(args, kwargs, 0, name) {
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Err(Unknown::new(
            "environment variable name is not a known string",
        )),
    }
}

fn builtin(cast: &Value) -> Option<&str> {
    match cast {
        Value::Object { qualname, .. } => qualname.strip_prefix("builtins."),
        _ => None,
    }
}

/// Objects created by calling a reader class: `environ.Env(...)`, `environs.Env()`,
/// `decouple.AutoConfig(...)`, `decouple.Csv(...)`. `schemes` receives django-environ schemes.
pub fn construct(
    qualname: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    schemes: &mut Vec<EnvironScheme>,
) -> Option<Value> {
    let obj = |q: String| {
        Some(Value::Object {
            qualname: q,
            callable: true,
        })
    };
    match qualname {
        "environ.Env" | "environ.environ.Env" => {
            schemes.push(EnvironScheme {
                entries: kwargs.to_vec(),
            });
            obj(format!("{ENVIRON_INSTANCE}{}", schemes.len() - 1))
        }
        "environs.Env" => obj(ENVIRONS_INSTANCE.to_string()),
        "decouple.AutoConfig" | "decouple.Config" => obj(DECOUPLE_CONFIG.to_string()),
        "decouple.Csv" => {
            // Only the default Csv() (str items split on commas) is modelled exactly.
            if args.is_empty()
                && kwargs
                    .iter()
                    .all(|(k, v)| k == "cast" && builtin(v) == Some("str"))
            {
                obj("decouple.Csv()".into())
            } else if args.is_empty()
                && kwargs.len() == 1
                && kwargs[0].0 == "cast"
                && builtin(&kwargs[0].1) == Some("int")
            {
                obj("decouple.Csv(int)".into())
            } else {
                Some(Value::unknown("decouple.Csv with custom options"))
            }
        }
        _ => None,
    }
}

/// Calls that read (or are no-ops around) the environment. `None`: not a reader.
pub fn call(
    qualname: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    env: &Environment,
    schemes: &[EnvironScheme],
) -> Option<Read> {
    let known = |value: Value| Some(Read { value, dep: None });
    match qualname {
        "os.environ.get" | "os.getenv" | "os.environ.setdefault" => Some(os_get(args, kwargs, env)),
        "environ.Env.read_env" | "environs.Env().read_env" | "dotenv.load_dotenv" => {
            known(Value::None)
        }
        DECOUPLE_CONFIG | "decouple.config.get" => Some(decouple(args, kwargs, env)),
        "dj_database_url.config" => Some(dj_database_url_config(args, kwargs, env)),
        "dj_database_url.parse" => known(match arg(args, kwargs, 0, "url") {
            Some(Value::Str(url)) => parse_db_url(url, kwargs),
            Some(Value::Unknown(u)) => Value::Unknown(u.clone()),
            _ => Value::unknown("dj_database_url.parse of a non-string"),
        }),
        _ => {
            if let Some(rest) = qualname.strip_prefix(ENVIRON_INSTANCE) {
                let (idx, method) = match rest.split_once('.') {
                    Some((i, m)) => (i, m),
                    None => (rest, "__call__"),
                };
                if method == "read_env" {
                    return known(Value::None);
                }
                let scheme = idx.parse::<usize>().ok().and_then(|i| schemes.get(i));
                return Some(django_environ(method, args, kwargs, env, scheme));
            }
            if let Some(method) = qualname.strip_prefix(ENVIRONS_INSTANCE) {
                let method = method.strip_prefix('.').unwrap_or("__call__");
                return Some(environs(method, args, kwargs, env));
            }
            None
        }
    }
}

fn unknown_read(u: Unknown) -> Read {
    Read {
        value: Value::Unknown(u),
        dep: None,
    }
}

fn os_get(args: &[Value], kwargs: &[(String, Value)], env: &Environment) -> Read {
    let var = match var_name(args, kwargs, "key") {
        Ok(v) => v,
        Err(u) => return unknown_read(u),
    };
    // os.environ.get / os.getenv default to None.
    let default = arg(args, kwargs, 1, "default")
        .cloned()
        .unwrap_or(Value::None);
    match given_or_default(env, &var, Some(&default), "os.environ") {
        Ok((value, dep)) => Read {
            value,
            dep: Some(dep),
        },
        Err(read) => read,
    }
}

/// `os.environ["X"]`.
pub fn os_item(key: &Value, env: &Environment) -> Read {
    let Value::Str(var) = key else {
        return unknown_read(
            key.as_unknown()
                .cloned()
                .unwrap_or_else(|| Unknown::new("os.environ key is not a string")),
        );
    };
    match env.get(var) {
        Some(v) => Read {
            value: Value::Str(v.to_string()),
            dep: Some(EnvDep {
                var: var.clone(),
                provided: true,
            }),
        },
        None => unknown_read(Unknown::new(format!(
            "requires the environment variable {var} (os.environ[{var:?}] raises KeyError when it is unset; pass --env {var}=...)"
        ))),
    }
}

/// `"X" in os.environ`.
pub fn os_contains(key: &Value, env: &Environment) -> Read {
    match key {
        Value::Str(var) => {
            let provided = env.get(var).is_some();
            Read {
                value: Value::Bool(provided),
                dep: Some(EnvDep {
                    var: var.clone(),
                    provided,
                }),
            }
        }
        other => unknown_read(
            other
                .as_unknown()
                .cloned()
                .unwrap_or_else(|| Unknown::new("os.environ key is not a string")),
        ),
    }
}

/// The variable's value if the deployment gives it, else the reader's default; a read of a
/// required variable (unknown) when there is neither.
fn given_or_default(
    env: &Environment,
    var: &str,
    default: Option<&Value>,
    library: &str,
) -> Result<(Value, EnvDep), Read> {
    match (env.get(var), default) {
        (Some(v), _) => Ok((
            Value::Str(v.to_string()),
            EnvDep {
                var: var.to_string(),
                provided: true,
            },
        )),
        (None, Some(d)) => Ok((
            d.clone(),
            EnvDep {
                var: var.to_string(),
                provided: false,
            },
        )),
        (None, None) => Err(unknown_read(required(var, library))),
    }
}

fn required(var: &str, library: &str) -> Unknown {
    Unknown::new(format!(
        "requires the environment variable {var} ({library} raises when it is unset and has no default; pass --env {var}=...)"
    ))
}

// ---- django-environ ----------------------------------------------------------------------

const ENVIRON_TRUE: &[&str] = &["true", "on", "ok", "y", "yes", "1"];

fn django_environ(
    method: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    env: &Environment,
    scheme: Option<&EnvironScheme>,
) -> Read {
    let var = match var_name(args, kwargs, "var") {
        Ok(v) => v,
        Err(u) => return unknown_read(u),
    };
    // The method fixes the cast; `env(...)` takes `cast=` (second positional).
    let mut cast: Option<Value> = match method {
        "__call__" => arg(args, kwargs, 1, "cast")
            .cloned()
            .filter(|v| !matches!(v, Value::None)),
        "bool" | "int" | "float" | "str" | "list" | "tuple" | "dict" | "json" => {
            Some(Value::Object {
                qualname: format!("builtins.{method}"),
                callable: true,
            })
        }
        "url" | "db" | "db_url" | "cache" | "cache_url" | "email" | "email_url" | "search_url"
        | "path" | "bytes" => {
            return match env.get(&var) {
                Some(_) => Read {
                    value: Value::unknown(format!("parsed from {var} by env.{method}()")),
                    dep: Some(EnvDep {
                        var,
                        provided: true,
                    }),
                },
                None => Read {
                    value: Value::unknown(format!("env.{method}() of {var} (unset)")),
                    dep: Some(EnvDep {
                        var,
                        provided: false,
                    }),
                },
            };
        }
        other => return unknown_read(Unknown::new(format!("env.{other}() is not modelled"))),
    };
    if method == "list"
        && let Some(item) = arg(args, kwargs, 1, "cast").filter(|v| !matches!(v, Value::None))
    {
        cast = Some(Value::List(vec![item.clone()]));
    }
    // `env(var, cast, default)` and `env.list(var, cast, default)` take the cast second.
    let default_pos = if matches!(method, "__call__" | "list" | "tuple") {
        2
    } else {
        1
    };
    let mut default = arg(args, kwargs, default_pos, "default").cloned();
    if let Some((_, info)) = scheme.and_then(|s| s.entries.iter().find(|(k, _)| *k == var)) {
        match info {
            Value::Tuple(parts) if parts.len() == 2 => {
                cast.get_or_insert(parts[0].clone());
                default.get_or_insert(parts[1].clone());
            }
            other => {
                cast.get_or_insert(other.clone());
            }
        }
    }
    let (value, dep) = match given_or_default(env, &var, default.as_ref(), "django-environ") {
        Ok((v, d)) => (v, Some(d)),
        Err(read) => return read,
    };
    // Smart cast: no cast but a non-None default casts to the default's type.
    if cast.is_none()
        && let Some(d) = &default
        && !matches!(d, Value::None)
    {
        cast = Some(Value::Object {
            qualname: format!("builtins.{}", d.type_name()),
            callable: true,
        });
    }
    let value = if matches!(default, Some(Value::None)) && value == Value::Str(String::new()) {
        Value::None
    } else {
        value
    };
    // Only a value that differs from the default is parsed.
    let differs = default.as_ref().is_none_or(|d| d.py_eq(&value) != Ok(true));
    let value = if differs {
        environ_parse(&value, cast.as_ref())
    } else {
        value
    };
    Read { value, dep }
}

fn environ_parse(value: &Value, cast: Option<&Value>) -> Value {
    let Some(cast) = cast else {
        return value.clone();
    };
    let Value::Str(s) = value else {
        return match (builtin(cast), value) {
            (Some("bool"), v) => v.truthy().map_or_else(Value::Unknown, Value::Bool),
            (Some("str"), Value::Bool(_) | Value::Int(_) | Value::None) => Value::Str(value.repr()),
            _ => value.clone(),
        };
    };
    let split = |s: &str| -> Vec<Value> {
        s.split(',')
            .filter(|x| !x.is_empty())
            .map(|x| Value::Str(x.into()))
            .collect()
    };
    match cast {
        Value::List(item) if item.len() == 1 => match builtin(&item[0]) {
            Some("str") => Value::List(split(s)),
            Some("int") => match s
                .split(',')
                .filter(|x| !x.is_empty())
                .map(py_int)
                .collect::<Option<Vec<_>>>()
            {
                Some(v) => Value::List(v.into_iter().map(Value::Int).collect()),
                None => Value::unknown("invalid int in list (ValueError)"),
            },
            _ => Value::unknown("list cast with a custom item type"),
        },
        _ => match builtin(cast) {
            Some("bool") => Value::Bool(match py_int(s) {
                Some(i) => i != 0,
                None => ENVIRON_TRUE.contains(&s.trim().to_lowercase().as_str()),
            }),
            Some("int") => py_int(s).map_or_else(
                || Value::unknown(format!("int({s:?}) raises ValueError")),
                Value::Int,
            ),
            Some("float") => environ_float(s).map_or_else(
                || Value::unknown(format!("float of {s:?} raises ValueError")),
                Value::Float,
            ),
            Some("str") => Value::Str(s.clone()),
            Some("list") => Value::List(split(s)),
            Some("tuple") => Value::Tuple(
                s.trim_start_matches('(')
                    .trim_end_matches(')')
                    .split(',')
                    .filter(|x| !x.is_empty())
                    .map(|x| Value::Str(x.into()))
                    .collect(),
            ),
            _ => Value::unknown("custom cast"),
        },
    }
}

/// Python's `int(str)`: surrounding whitespace, a sign, digits with single underscores.
pub fn py_int(s: &str) -> Option<i128> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    clean.parse::<i128>().ok().map(|v| if neg { -v } else { v })
}

/// django-environ's float: drop everything but digits, `,`, `.`, `-`; the last separator is
/// the decimal point.
fn environ_float(s: &str) -> Option<f64> {
    let kept: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
        .collect();
    let parts: Vec<&str> = kept.split([',', '.']).collect();
    let text = if parts.len() == 1 {
        parts[0].to_string()
    } else {
        format!(
            "{}.{}",
            parts[..parts.len() - 1].concat(),
            parts[parts.len() - 1]
        )
    };
    text.parse::<f64>().ok()
}

// ---- python-decouple ---------------------------------------------------------------------

const DECOUPLE_TRUE: &[&str] = &["y", "yes", "t", "true", "on", "1"];
const DECOUPLE_FALSE: &[&str] = &["n", "no", "f", "false", "off", "0"];

fn decouple(args: &[Value], kwargs: &[(String, Value)], env: &Environment) -> Read {
    let var = match var_name(args, kwargs, "option") {
        Ok(v) => v,
        Err(u) => return unknown_read(u),
    };
    let (value, dep) =
        match given_or_default(env, &var, arg(args, kwargs, 1, "default"), "decouple") {
            Ok((v, d)) => (v, Some(d)),
            Err(read) => return read,
        };
    // decouple casts the default too.
    let value = match arg(args, kwargs, 2, "cast") {
        None => value,
        Some(cast) => decouple_cast(&value, cast),
    };
    Read { value, dep }
}

fn decouple_cast(value: &Value, cast: &Value) -> Value {
    if let Some(u) = value.as_unknown().or(cast.as_unknown()) {
        return Value::Unknown(u.clone());
    }
    let as_text = || crate::settings::eval::py_str(value);
    match cast {
        Value::Object { qualname, .. }
            if qualname == "decouple.Csv()" || qualname == "decouple.Csv(int)" =>
        {
            let text = match value {
                Value::None => return Value::List(Vec::new()),
                Value::Str(s) => s.clone(),
                _ => return Value::unknown("Csv of a non-string default"),
            };
            match shlex_split(&text) {
                Some(items) => {
                    let items: Vec<String> =
                        items.into_iter().map(|s| s.trim().to_string()).collect();
                    if qualname.ends_with("(int)") {
                        match items.iter().map(|s| py_int(s)).collect::<Option<Vec<_>>>() {
                            Some(v) => Value::List(v.into_iter().map(Value::Int).collect()),
                            None => Value::unknown("Csv(int) of a non-integer (ValueError)"),
                        }
                    } else {
                        Value::List(items.into_iter().map(Value::Str).collect())
                    }
                }
                None => Value::unknown("Csv value with unbalanced quotes"),
            }
        }
        _ => match builtin(cast) {
            Some("bool") => {
                if let Value::Bool(b) = value {
                    return Value::Bool(*b);
                }
                match as_text() {
                    Ok(t) if t.is_empty() => Value::Bool(false),
                    Ok(t) => {
                        let l = t.to_lowercase();
                        if DECOUPLE_TRUE.contains(&l.as_str()) {
                            Value::Bool(true)
                        } else if DECOUPLE_FALSE.contains(&l.as_str()) {
                            Value::Bool(false)
                        } else {
                            Value::unknown(format!(
                                "decouple raises ValueError: invalid truth value {t:?}"
                            ))
                        }
                    }
                    Err(u) => Value::Unknown(u),
                }
            }
            Some("int") => match value {
                Value::Int(_) => value.clone(),
                Value::Bool(b) => Value::Int(i128::from(*b)),
                Value::Str(s) => py_int(s).map_or_else(
                    || Value::unknown(format!("int({s:?}) raises ValueError")),
                    Value::Int,
                ),
                _ => Value::unknown("int() of this default"),
            },
            Some("str") => as_text().map_or_else(Value::Unknown, Value::Str),
            Some("float") => match value {
                Value::Float(_) => value.clone(),
                Value::Int(i) => Value::Float(*i as f64),
                Value::Str(s) => s.trim().parse::<f64>().map_or_else(
                    |_| Value::unknown("float() raises ValueError"),
                    Value::Float,
                ),
                _ => Value::unknown("float() of this default"),
            },
            _ => Value::unknown("custom cast"),
        },
    }
}

/// `shlex.shlex(value, posix=True)` with `whitespace=","` and `whitespace_split=True`, as
/// decouple's Csv uses it: commas separate, quotes group, empty items vanish.
fn shlex_split(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_token = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    match chars.next() {
                        Some(n @ ('"' | '\\')) => cur.push(n),
                        Some(n) => {
                            cur.push('\\');
                            cur.push(n);
                        }
                        None => return None,
                    }
                } else {
                    cur.push(c);
                }
            }
            None => match c {
                ',' => {
                    if in_token {
                        out.push(std::mem::take(&mut cur));
                        in_token = false;
                    }
                }
                '"' | '\'' => {
                    quote = Some(c);
                    in_token = true;
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                    in_token = true;
                }
                _ => {
                    cur.push(c);
                    in_token = true;
                }
            },
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_token {
        out.push(cur);
    }
    Some(out)
}

// ---- dj-database-url -----------------------------------------------------------------------

fn dj_database_url_config(args: &[Value], kwargs: &[(String, Value)], env: &Environment) -> Read {
    let var = match arg(args, kwargs, 0, "env") {
        None => "DATABASE_URL".to_string(),
        Some(Value::Str(v)) => v.clone(),
        Some(other) => {
            return unknown_read(
                other
                    .as_unknown()
                    .cloned()
                    .unwrap_or_else(|| Unknown::new("env name is not a string")),
            );
        }
    };
    let (url, provided) = match env.get(&var) {
        Some(v) => (Value::Str(v.to_string()), true),
        None => (
            arg(args, kwargs, 1, "default")
                .cloned()
                .unwrap_or(Value::None),
            false,
        ),
    };
    let dep = Some(EnvDep { var, provided });
    let value = match url {
        Value::Str(u) if !u.is_empty() => parse_db_url(&u, kwargs),
        Value::Str(_) | Value::None => Value::Dict(Vec::new()),
        Value::Unknown(u) => Value::Unknown(u),
        _ => Value::unknown("dj_database_url default is not a string"),
    };
    Read { value, dep }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `dj_database_url.parse(url)`: the Django DATABASES entry a URL describes.
pub fn parse_db_url(url: &str, kwargs: &[(String, Value)]) -> Value {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Value::unknown("database URL without a scheme");
    };
    let engine = match scheme {
        "postgres" | "postgresql" | "pgsql" => "django.db.backends.postgresql",
        "postgis" => "django.contrib.gis.db.backends.postgis",
        "mysql" => "django.db.backends.mysql",
        "mysqlgis" => "django.contrib.gis.db.backends.mysql",
        "sqlite" => "django.db.backends.sqlite3",
        "spatialite" => "django.contrib.gis.db.backends.spatialite",
        "oracle" => "django.db.backends.oracle",
        other => return Value::unknown(format!("database URL scheme `{other}` is not modelled")),
    };
    let (rest, query) = rest
        .split_once('?')
        .map_or((rest, None), |(r, q)| (r, Some(q)));
    let (netloc, path) = rest.split_once('/').map_or((rest, ""), |(n, p)| (n, p));
    let (auth, hostport) = netloc
        .rsplit_once('@')
        .map_or(("", netloc), |(a, h)| (a, h));
    let (user, password) = auth.split_once(':').map_or((auth, ""), |(u, p)| (u, p));
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => (
            h,
            p.parse::<i128>()
                .map_or(Value::Str(String::new()), Value::Int),
        ),
        _ => (hostport, Value::Str(String::new())),
    };
    let name = if scheme == "sqlite" || scheme == "spatialite" {
        if netloc == ":memory:" {
            ":memory:".to_string()
        } else {
            percent_decode(path)
        }
    } else {
        percent_decode(path)
    };
    let s = |v: &str| Value::Str(v.to_string());
    let mut items = vec![
        (s("ENGINE"), s(engine)),
        (s("USER"), s(&percent_decode(user))),
        (s("PASSWORD"), s(&percent_decode(password))),
        // urllib's `hostname`: brackets of an IPv6 literal removed, lower-cased.
        (
            s("HOST"),
            s(&percent_decode(host.trim_start_matches('[').trim_end_matches(']')).to_lowercase()),
        ),
        (s("PORT"), port),
        (s("NAME"), s(&name)),
    ];
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        let options: Vec<(Value, Value)> = q
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (s(&percent_decode(k)), s(&percent_decode(v))))
            .collect();
        items.push((s("OPTIONS"), Value::Dict(options)));
    }
    let conn_max_age = kwargs
        .iter()
        .find(|(k, _)| k == "conn_max_age")
        .map_or(Value::Int(0), |(_, v)| v.clone());
    items.push((s("CONN_MAX_AGE"), conn_max_age));
    items.push((s("CONN_HEALTH_CHECKS"), Value::Bool(false)));
    items.push((s("DISABLE_SERVER_SIDE_CURSORS"), Value::Bool(false)));
    Value::Dict(items)
}

// ---- pydantic-settings -------------------------------------------------------------------

/// How a `BaseSettings` field parses its variable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PydKind {
    Bool,
    Int,
    Float,
    Str,
    /// `list[...]`, `dict[...]` and other complex types: the variable holds JSON.
    Json,
    Other,
}

#[derive(Debug, Clone)]
pub struct PydField {
    pub name: String,
    pub kind: PydKind,
    /// `None` when the field is required.
    pub default: Option<Value>,
}

/// A `pydantic_settings.BaseSettings` subclass: its variable prefix and fields.
#[derive(Debug, Clone, Default)]
pub struct PydClass {
    pub prefix: String,
    pub case_sensitive: bool,
    pub fields: Vec<PydField>,
}

pub const PYDANTIC_BASES: &[&str] = &[
    "pydantic_settings.BaseSettings",
    "pydantic_settings.main.BaseSettings",
    "pydantic.BaseSettings",
];

/// The field type from its annotation (`bool`, `int | None`, `Optional[int]`, `list[str]`).
pub fn pyd_kind(annotation: &crate::python::ast::Expr) -> PydKind {
    use crate::python::ast::{Expr, Operator};
    match annotation {
        Expr::Name(n) => match n.id.as_str() {
            "bool" => PydKind::Bool,
            "int" => PydKind::Int,
            "float" => PydKind::Float,
            "str" => PydKind::Str,
            "list" | "dict" | "tuple" | "set" | "List" | "Dict" | "Tuple" | "Set" => PydKind::Json,
            _ => PydKind::Other,
        },
        Expr::Subscript(s) => match &*s.value {
            Expr::Name(n) if n.id.as_str() == "Optional" => pyd_kind(&s.slice),
            other => match pyd_kind(other) {
                PydKind::Json => PydKind::Json,
                _ => PydKind::Other,
            },
        },
        Expr::BinOp(b) if b.op == Operator::BitOr => match (&*b.left, &*b.right) {
            (Expr::NoneLiteral(_), other) | (other, Expr::NoneLiteral(_)) => pyd_kind(other),
            _ => PydKind::Other,
        },
        _ => PydKind::Other,
    }
}

const PYD_TRUE: &[&str] = &["1", "on", "t", "true", "y", "yes"];
const PYD_FALSE: &[&str] = &["0", "off", "f", "false", "n", "no"];

/// Read one field of a `BaseSettings` instance.
pub fn pydantic_field(class: &PydClass, attr: &str, env: &Environment) -> Read {
    let Some(field) = class.fields.iter().find(|f| f.name == attr) else {
        return unknown_read(Unknown::new(format!(
            "`{attr}` is not a field of this BaseSettings class"
        )));
    };
    let var = format!("{}{}", class.prefix, field.name);
    let given = if class.case_sensitive {
        env.get(&var).map(|v| (var.as_str(), v))
    } else {
        env.get_ignore_case(&var)
    };
    let dep_var = given.map_or_else(|| var.to_uppercase(), |(k, _)| k.to_string());
    let Some((_, raw)) = given else {
        return match &field.default {
            // pydantic returns defaults without validating them.
            Some(d) => Read {
                value: d.clone(),
                dep: Some(EnvDep {
                    var: dep_var,
                    provided: false,
                }),
            },
            None => unknown_read(required(&var.to_uppercase(), "pydantic-settings")),
        };
    };
    let dep = Some(EnvDep {
        var: dep_var,
        provided: true,
    });
    let value = match field.kind {
        PydKind::Str => Value::Str(raw.to_string()),
        PydKind::Bool => {
            let l = raw.trim().to_ascii_lowercase();
            if PYD_TRUE.contains(&l.as_str()) {
                Value::Bool(true)
            } else if PYD_FALSE.contains(&l.as_str()) {
                Value::Bool(false)
            } else {
                Value::unknown(format!(
                    "pydantic raises ValidationError: {raw:?} is not a boolean"
                ))
            }
        }
        PydKind::Int => py_int(raw).map_or_else(
            || Value::unknown("pydantic raises ValidationError: not an integer"),
            Value::Int,
        ),
        PydKind::Float => raw.trim().parse::<f64>().map_or_else(
            |_| Value::unknown("pydantic raises ValidationError: not a number"),
            Value::Float,
        ),
        PydKind::Json => match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(j) => from_json(&j),
            Err(_) => Value::unknown(format!(
                "pydantic-settings raises SettingsError: {var} is not JSON"
            )),
        },
        PydKind::Other => Value::unknown(format!("{var}: a field type djguard does not parse")),
    };
    Read { value, dep }
}

fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(
            || {
                n.as_f64()
                    .map_or_else(|| Value::unknown("number"), Value::Float)
            },
            |i| Value::Int(i128::from(i)),
        ),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(a) => Value::List(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::Dict(
            o.iter()
                .map(|(k, v)| (Value::Str(k.clone()), from_json(v)))
                .collect(),
        ),
    }
}

// ---- environs ----------------------------------------------------------------------------

/// marshmallow's `Boolean` field: exact spellings, no trimming or case folding beyond these.
const ENVIRONS_TRUE: &[&str] = &[
    "t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1",
];
const ENVIRONS_FALSE: &[&str] = &[
    "f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0",
];

fn environs(method: &str, args: &[Value], kwargs: &[(String, Value)], env: &Environment) -> Read {
    let var = match var_name(args, kwargs, "name") {
        Ok(v) => v,
        Err(u) => return unknown_read(u),
    };
    let Some(provided) = env.get(&var) else {
        return match arg(args, kwargs, 1, "default") {
            // environs returns the default as given, without deserializing it.
            Some(d) => Read {
                value: d.clone(),
                dep: Some(EnvDep {
                    var,
                    provided: false,
                }),
            },
            None => unknown_read(required(&var, "environs")),
        };
    };
    let dep = Some(EnvDep {
        var,
        provided: true,
    });
    let s = provided.to_string();
    let value = match method {
        "__call__" | "str" => Value::Str(s),
        "bool" => {
            if ENVIRONS_TRUE.contains(&s.as_str()) {
                Value::Bool(true)
            } else if ENVIRONS_FALSE.contains(&s.as_str()) {
                Value::Bool(false)
            } else {
                Value::unknown(format!(
                    "environs raises EnvValidationError: not a boolean {s:?}"
                ))
            }
        }
        "int" => py_int(&s).map_or_else(
            || Value::unknown("environs raises EnvValidationError: not an integer"),
            Value::Int,
        ),
        "list" => {
            if s.is_empty() {
                Value::List(Vec::new())
            } else {
                Value::List(s.split(',').map(|x| Value::Str(x.to_string())).collect())
            }
        }
        other => Value::unknown(format!("env.{other}() of environs is not modelled")),
    };
    Read { value, dep }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_rules() {
        assert_eq!(py_int(" 42 "), Some(42));
        assert_eq!(py_int("1_000"), Some(1000));
        assert_eq!(py_int("-3"), Some(-3));
        assert_eq!(py_int("1__0"), None);
        assert_eq!(py_int("0x1"), None);
        assert_eq!(py_int(""), None);
    }

    #[test]
    fn csv_splitting_like_shlex() {
        assert_eq!(shlex_split("a, b,,c").unwrap(), vec!["a", " b", "c"]);
        assert_eq!(shlex_split("'a,b',c").unwrap(), vec!["a,b", "c"]);
        assert_eq!(shlex_split("").unwrap(), Vec::<String>::new());
        assert!(shlex_split("'open").is_none());
    }
}
