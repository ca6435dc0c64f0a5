//! Python values as the settings evaluator knows them, with Python's own semantics for the
//! operations Django's checks perform (truthiness, `is True`, `==`, `in`, `set()`).
//! Anything the evaluator cannot know is `Value::Unknown` with a reason; operations on it
//! answer `Err(Unknown)` instead of guessing.

use std::fmt;

/// Why a value (or a check's outcome) could not be decided statically.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub reason: String,
}

impl Unknown {
    pub fn new(reason: impl Into<String>) -> Self {
        Unknown {
            reason: reason.into(),
        }
    }
}

impl Unknown {
    /// The reason cut to a readable length, for embedding in another reason (nested
    /// conditions would otherwise compound it without bound).
    pub fn short(&self) -> String {
        const MAX: usize = 160;
        if self.reason.chars().count() <= MAX {
            return self.reason.clone();
        }
        let mut s: String = self.reason.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// The answer of a Python operation on values that may be unknown.
pub type Known<T> = Result<T, Unknown>;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Set(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// A `pathlib.Path` (always truthy, compares only with other paths).
    Path(String),
    /// A function, class or module: something callable or an object with a qualified name.
    /// `callable` tells whether Python's `callable()` holds.
    Object {
        qualname: String,
        callable: bool,
    },
    /// A project subclass of pydantic-settings' `BaseSettings` (`instance: false`) or an
    /// instance of one: the index of its fields and prefix in the evaluator's table.
    Pydantic {
        class: usize,
        instance: bool,
    },
    /// Inside a container: zero or more elements we cannot know.
    Unknown(Unknown),
    /// Inside a container: an element that is there in some branches of an undecidable
    /// condition and not in others. Membership tests answer unknown only for this value.
    Maybe(Box<Value>, Unknown),
}

impl Value {
    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown::new(reason))
    }

    /// The reason, for an unknown value or an element that may be absent.
    pub fn as_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) | Value::Maybe(_, u) => Some(u),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Set(_) => "set",
            Value::Dict(_) => "dict",
            Value::Path(_) => "Path",
            Value::Object { .. } | Value::Pydantic { .. } => "object",
            Value::Unknown(_) => "unknown",
            Value::Maybe(..) => "maybe",
        }
    }

    /// The first unknown found in this value, at any depth.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) | Value::Maybe(_, u) => Some(u),
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => {
                v.iter().find_map(Value::first_unknown)
            }
            Value::Dict(items) => items
                .iter()
                .find_map(|(k, v)| k.first_unknown().or_else(|| v.first_unknown())),
            _ => None,
        }
    }

    /// Python's `bool(value)`.
    pub fn truthy(&self) -> Known<bool> {
        match self {
            Value::None => Ok(false),
            Value::Bool(b) => Ok(*b),
            Value::Int(i) => Ok(*i != 0),
            Value::Float(f) => Ok(*f != 0.0),
            Value::Str(s) => Ok(!s.is_empty()),
            Value::Bytes(b) => Ok(!b.is_empty()),
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => container_truthy(v),
            Value::Dict(items) => {
                if items.iter().any(|(k, _)| k.as_unknown().is_none()) {
                    Ok(true)
                } else if let Some((k, _)) = items.first() {
                    Err(k.as_unknown().cloned().unwrap_or_else(|| Unknown::new("?")))
                } else {
                    Ok(false)
                }
            }
            Value::Path(_) | Value::Object { .. } | Value::Pydantic { .. } => Ok(true),
            Value::Unknown(u) | Value::Maybe(_, u) => Err(u.clone()),
        }
    }

    /// Python's `value is True`.
    pub fn is_true(&self) -> Known<bool> {
        match self {
            Value::Bool(b) => Ok(*b),
            Value::Unknown(u) => Err(u.clone()),
            _ => Ok(false),
        }
    }

    /// Python's `value is None`.
    pub fn is_none(&self) -> Known<bool> {
        match self {
            Value::None => Ok(true),
            Value::Unknown(u) => Err(u.clone()),
            _ => Ok(false),
        }
    }

    fn numeric(&self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Python's `a == b`.
    pub fn py_eq(&self, other: &Value) -> Known<bool> {
        use Value::*;
        match (self, other) {
            (Unknown(u), _) | (_, Unknown(u)) | (Maybe(_, u), _) | (_, Maybe(_, u)) => {
                Err(u.clone())
            }
            (None, None) => Ok(true),
            (Bool(_) | Int(_), Bool(_) | Int(_)) => Ok(self.int_value() == other.int_value()),
            (Bool(_) | Int(_) | Float(_), Bool(_) | Int(_) | Float(_)) => {
                Ok(self.numeric() == other.numeric())
            }
            (Str(a), Str(b)) => Ok(a == b),
            (Bytes(a), Bytes(b)) => Ok(a == b),
            (Path(a), Path(b)) => Ok(a == b),
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => seq_eq(a, b),
            (Set(a), Set(b)) => {
                if a.len() != b.len() && a.iter().chain(b).all(|v| v.as_unknown().is_none()) {
                    return Ok(false);
                }
                for x in a {
                    if !contains_eq(b, x)? {
                        return Ok(false);
                    }
                }
                for y in b {
                    if !contains_eq(a, y)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            (Dict(a), Dict(b)) => {
                if a.len() != b.len() {
                    return Ok(false);
                }
                for (k, v) in a {
                    match b.iter().find(|(k2, _)| k.py_eq(k2) == Ok(true)) {
                        Some((_, v2)) => {
                            if !v.py_eq(v2)? {
                                return Ok(false);
                            }
                        }
                        Option::None => return Ok(false),
                    }
                }
                Ok(true)
            }
            (Object { qualname: a, .. }, Object { qualname: b, .. }) => Ok(a == b),
            _ => Ok(false),
        }
    }

    fn int_value(&self) -> Option<i128> {
        match self {
            Value::Bool(b) => Some(i128::from(*b)),
            Value::Int(i) => Some(*i),
            _ => Option::None,
        }
    }

    /// Whether Python could hash this value (put it in a set or use it as a dict key).
    pub fn hashable(&self) -> Known<bool> {
        match self {
            Value::List(_) | Value::Set(_) | Value::Dict(_) => Ok(false),
            Value::Tuple(v) => {
                for x in v {
                    if !x.hashable()? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Value::Unknown(u) => Err(u.clone()),
            _ => Ok(true),
        }
    }

    /// Python's `needle in self`. `Err(Unknown)` also covers operations that would raise
    /// `TypeError` in Python (the caller's check would crash rather than answer).
    pub fn py_contains(&self, needle: &Value) -> Known<bool> {
        match self {
            Value::Str(hay) => match needle {
                Value::Str(n) => Ok(hay.contains(n.as_str())),
                Value::Unknown(u) => Err(u.clone()),
                other => Err(Unknown::new(format!(
                    "Python raises TypeError for a {} `in` a str",
                    other.type_name()
                ))),
            },
            Value::List(v) | Value::Tuple(v) => contains_eq(v, needle),
            Value::Set(v) => {
                if !needle.hashable()? {
                    return Err(Unknown::new("Python raises TypeError: unhashable type"));
                }
                contains_eq(v, needle)
            }
            Value::Dict(items) => {
                if !needle.hashable()? {
                    return Err(Unknown::new("Python raises TypeError: unhashable type"));
                }
                let keys: Vec<Value> = items.iter().map(|(k, _)| k.clone()).collect();
                contains_eq(&keys, needle)
            }
            Value::Bytes(hay) => match needle {
                Value::Bytes(n) => Ok(n.is_empty() || hay.windows(n.len()).any(|w| w == n)),
                Value::Int(i) => Ok(u8::try_from(*i).is_ok_and(|b| hay.contains(&b))),
                Value::Unknown(u) => Err(u.clone()),
                _ => Err(Unknown::new(
                    "Python raises TypeError for this `in` on bytes",
                )),
            },
            Value::Unknown(u) => Err(u.clone()),
            other => Err(Unknown::new(format!(
                "Python raises TypeError: argument of type '{}' is not iterable",
                other.type_name()
            ))),
        }
    }

    /// The elements Python yields when iterating this value (`for x in value`, `set(value)`).
    pub fn iter_elements(&self) -> Known<Vec<Value>> {
        match self {
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => {
                if let Some(u) = v.iter().find_map(Value::as_unknown) {
                    return Err(u.clone());
                }
                Ok(v.clone())
            }
            Value::Dict(items) => {
                if let Some(u) = items.iter().find_map(|(k, _)| k.as_unknown()) {
                    return Err(u.clone());
                }
                Ok(items.iter().map(|(k, _)| k.clone()).collect())
            }
            Value::Str(s) => Ok(s.chars().map(|c| Value::Str(c.to_string())).collect()),
            Value::Bytes(b) => Ok(b.iter().map(|x| Value::Int(i128::from(*x))).collect()),
            Value::Unknown(u) => Err(u.clone()),
            other => Err(Unknown::new(format!(
                "Python raises TypeError: '{}' object is not iterable",
                other.type_name()
            ))),
        }
    }

    /// A short Python-like rendering for messages (`'same-origin'`, `True`, `[...]`).
    pub fn repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out, 0);
        out
    }

    fn write_repr(&self, out: &mut String, depth: usize) {
        use std::fmt::Write;
        if depth > 3 || out.len() > 120 {
            out.push_str("...");
            return;
        }
        match self {
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => {
                if f.fract() == 0.0 && f.is_finite() {
                    let _ = write!(out, "{f:.1}");
                } else {
                    let _ = write!(out, "{f}");
                }
            }
            Value::Str(s) => {
                let shown: String = s.chars().take(60).collect();
                let _ = write!(out, "{shown:?}");
                if shown.len() < s.len() {
                    out.push_str("...");
                }
            }
            Value::Bytes(b) => {
                let _ = write!(out, "b{:?}", String::from_utf8_lossy(b));
            }
            Value::Path(p) => {
                let _ = write!(out, "Path({p:?})");
            }
            Value::Object { qualname, .. } => out.push_str(qualname),
            Value::Pydantic { class, instance } => out.push_str(&pydantic_name(*class, *instance)),
            Value::Unknown(_) => out.push('?'),
            Value::Maybe(v, _) => {
                out.push_str("maybe ");
                v.write_repr(out, depth + 1);
            }
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => {
                let (open, close) = match self {
                    Value::List(_) => ("[", "]"),
                    Value::Tuple(_) => ("(", ")"),
                    _ => ("{", "}"),
                };
                out.push_str(open);
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    x.write_repr(out, depth + 1);
                }
                if matches!(self, Value::Tuple(_)) && v.len() == 1 {
                    out.push(',');
                }
                out.push_str(close);
            }
            Value::Dict(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_repr(out, depth + 1);
                    out.push_str(": ");
                    v.write_repr(out, depth + 1);
                }
                out.push('}');
            }
        }
    }

    /// A JSON rendering for `djguard settings`: Python scalars as JSON scalars, sequences as
    /// arrays (sets sorted by their JSON text), str-keyed dicts as objects; anything else as
    /// `{"object": name}`, `{"path": p}` or `{"unknown": reason}`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Value as J, json};
        match self {
            Value::None => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => {
                i64::try_from(*i).map_or_else(|_| json!({"int": i.to_string()}), |v| json!(v))
            }
            Value::Float(f) => json!(f),
            Value::Str(s) => J::String(s.clone()),
            Value::Bytes(b) => json!({"bytes": String::from_utf8_lossy(b)}),
            Value::List(v) | Value::Tuple(v) => J::Array(v.iter().map(Value::to_json).collect()),
            Value::Set(v) => {
                let mut items: Vec<J> = v.iter().map(Value::to_json).collect();
                items.sort_by_key(ToString::to_string);
                J::Array(items)
            }
            Value::Dict(items) => {
                if items.iter().all(|(k, _)| matches!(k, Value::Str(_))) {
                    J::Object(
                        items
                            .iter()
                            .map(|(k, v)| {
                                (
                                    if let Value::Str(s) = k {
                                        s.clone()
                                    } else {
                                        String::new()
                                    },
                                    v.to_json(),
                                )
                            })
                            .collect(),
                    )
                } else {
                    json!({"dict": items.iter().map(|(k, v)| json!([k.to_json(), v.to_json()])).collect::<Vec<_>>()})
                }
            }
            Value::Path(p) => json!({"path": p}),
            Value::Object { qualname, .. } => json!({"object": qualname}),
            Value::Pydantic { class, instance } => {
                json!({"object": pydantic_name(*class, *instance)})
            }
            Value::Unknown(u) => json!({"unknown": u.reason}),
            Value::Maybe(v, u) => json!({"maybe": v.to_json(), "because": u.reason}),
        }
    }

    /// `dict.get(key)`: the value for the first key equal to `key`.
    pub fn dict_get(&self, key: &Value) -> Known<Option<&Value>> {
        match self {
            Value::Dict(items) => {
                let mut unknown = None;
                for (k, v) in items.iter().rev() {
                    match k.py_eq(key) {
                        Ok(true) => return Ok(Some(v)),
                        Ok(false) => {}
                        Err(u) => unknown = Some(u),
                    }
                }
                match unknown {
                    Some(u) => Err(u),
                    None => Ok(None),
                }
            }
            Value::Unknown(u) => Err(u.clone()),
            other => Err(Unknown::new(format!(
                "'{}' object has no attribute 'get'",
                other.type_name()
            ))),
        }
    }
}

fn container_truthy(v: &[Value]) -> Known<bool> {
    if v.iter().any(|x| x.as_unknown().is_none()) {
        return Ok(true);
    }
    match v.first() {
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Ok(false),
    }
}

fn seq_eq(a: &[Value], b: &[Value]) -> Known<bool> {
    if a.iter().chain(b).any(|v| v.as_unknown().is_some()) {
        return Err(a
            .iter()
            .chain(b)
            .find_map(Value::as_unknown)
            .cloned()
            .unwrap_or_else(|| Unknown::new("?")));
    }
    if a.len() != b.len() {
        return Ok(false);
    }
    for (x, y) in a.iter().zip(b) {
        if !x.py_eq(y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Membership by equality over elements, some of which may be unknown: a known match wins,
/// otherwise any unknown element makes the answer unknown.
fn contains_eq(items: &[Value], needle: &Value) -> Known<bool> {
    let mut unknown: Option<Unknown> = None;
    for x in items {
        // A possibly-absent element makes the answer unknown only if it is the one asked for.
        if let Value::Maybe(v, why) = x {
            match v.py_eq(needle) {
                Ok(false) => {}
                Ok(true) => {
                    unknown.get_or_insert(why.clone());
                }
                Err(u) => {
                    unknown.get_or_insert(u);
                }
            }
            continue;
        }
        match x.py_eq(needle) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(u) => {
                unknown.get_or_insert(u);
            }
        }
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(false),
    }
}

/// Kleene "or" over outcomes that may be unknown: `true` wins over unknown.
pub fn any_of(items: impl IntoIterator<Item = Known<bool>>) -> Known<bool> {
    kleene(items, true)
}

/// Kleene "and": `false` wins over unknown.
pub fn all_of(items: impl IntoIterator<Item = Known<bool>>) -> Known<bool> {
    kleene(items, false)
}

/// Three-valued fold: the first item equal to `decisive` decides; otherwise any unknown makes
/// the answer unknown; otherwise the answer is `!decisive`.
fn kleene(items: impl IntoIterator<Item = Known<bool>>, decisive: bool) -> Known<bool> {
    let mut unknown = None;
    for item in items {
        match item {
            Ok(b) if b == decisive => return Ok(decisive),
            Ok(_) => {}
            Err(u) => {
                unknown.get_or_insert(u);
            }
        }
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(!decisive),
    }
}

/// Python's `str.isupper()`: at least one cased character and no lowercase one. Django keeps
/// a module attribute as a setting exactly when its name passes this test.
pub fn is_setting_name(name: &str) -> bool {
    let mut cased = false;
    for c in name.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_uppercase() {
            cased = true;
        }
    }
    cased
}

/// How a pydantic-settings class or instance is shown (the settings dump, reasons).
pub(crate) fn pydantic_name(class: usize, instance: bool) -> String {
    let what = if instance { "instance" } else { "class" };
    format!("pydantic_settings.{what}@{class}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    #[test]
    fn python_equality_across_numeric_types() {
        assert_eq!(Value::Int(1).py_eq(&Value::Bool(true)), Ok(true));
        assert_eq!(Value::Float(0.0).py_eq(&Value::Int(0)), Ok(true));
        assert_eq!(s("1").py_eq(&Value::Int(1)), Ok(false));
        assert_eq!(
            Value::List(vec![s("a")]).py_eq(&Value::Tuple(vec![s("a")])),
            Ok(false)
        );
    }

    #[test]
    fn is_true_only_for_the_bool() {
        assert_eq!(Value::Int(1).is_true(), Ok(false));
        assert_eq!(s("True").is_true(), Ok(false));
        assert_eq!(Value::Bool(true).is_true(), Ok(true));
        assert!(Value::unknown("env").is_true().is_err());
    }

    #[test]
    fn membership_in_str_is_substring() {
        let silenced = s("security.W004,security.W008");
        assert_eq!(silenced.py_contains(&s("security.W004")), Ok(true));
        assert_eq!(silenced.py_contains(&s("security.W00")), Ok(true));
        assert!(silenced.py_contains(&Value::Int(1)).is_err());
    }

    #[test]
    fn membership_with_unknown_elements() {
        let mw = Value::List(vec![s("a"), Value::unknown("extra middleware")]);
        assert_eq!(mw.py_contains(&s("a")), Ok(true));
        assert!(mw.py_contains(&s("b")).is_err());
        assert_eq!(Value::List(vec![]).py_contains(&s("b")), Ok(false));
    }

    #[test]
    fn truthiness() {
        assert_eq!(s("False").truthy(), Ok(true));
        assert_eq!(s("").truthy(), Ok(false));
        assert_eq!(Value::List(vec![s("")]).truthy(), Ok(true));
        assert!(Value::List(vec![Value::unknown("x")]).truthy().is_err());
        assert_eq!(Value::Path("".into()).truthy(), Ok(true));
    }

    #[test]
    fn setting_names_follow_isupper() {
        assert!(is_setting_name("DEBUG"));
        assert!(is_setting_name("_HSTS"));
        assert!(is_setting_name("A1"));
        assert!(!is_setting_name("Debug"));
        assert!(!is_setting_name("_"));
        assert!(!is_setting_name("__"));
    }

    #[test]
    fn kleene_logic() {
        let u = || Err(Unknown::new("x"));
        assert_eq!(any_of([u(), Ok(true)]), Ok(true));
        assert!(any_of([u(), Ok(false)]).is_err());
        assert_eq!(all_of([u(), Ok(false)]), Ok(false));
    }
}
