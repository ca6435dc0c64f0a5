//! Python's built-ins as far as settings use them: operators, comparisons, `%` and
//! `str.format`, attribute and item access, slices, container mutation, methods of `str`,
//! `list` and `dict`, and the library functions settings call (`os.environ`, `Path`...).

use super::*;

pub(super) const BUILTINS: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "list",
    "tuple",
    "set",
    "frozenset",
    "dict",
    "len",
    "sorted",
    "repr",
    "abs",
    "min",
    "max",
    "open",
    "print",
    "isinstance",
    "getattr",
    "hasattr",
    "range",
    "reversed",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "sum",
    "Exception",
    "ImportError",
    "ModuleNotFoundError",
    "KeyError",
    "ValueError",
    "object",
    "type",
    "super",
];

pub(super) fn binop(l: &Value, op: ast::Operator, r: &Value) -> Value {
    use Value::*;
    use ast::Operator as O;
    if let Unknown(u) = l {
        return Unknown(u.clone());
    }
    if let Unknown(u) = r {
        return Unknown(u.clone());
    }
    let cap = |v: Value| -> Value {
        let len = match &v {
            Str(s) => s.len(),
            List(x) | Tuple(x) => x.len(),
            _ => 0,
        };
        if len > MAX_LEN {
            Value::unknown("value too large to evaluate")
        } else {
            v
        }
    };
    match (l, op, r) {
        (Str(a), O::Add, Str(b)) => cap(Str(format!("{a}{b}"))),
        (Bytes(a), O::Add, Bytes(b)) => Bytes([a.as_slice(), b.as_slice()].concat()),
        (List(a), O::Add, List(b)) => cap(List([a.as_slice(), b.as_slice()].concat())),
        (Tuple(a), O::Add, Tuple(b)) => cap(Tuple([a.as_slice(), b.as_slice()].concat())),
        (Str(s), O::Mult, n) | (n, O::Mult, Str(s)) if as_index(n).is_some() => {
            let n = as_index(n).unwrap_or(0).max(0) as usize;
            if s.len().saturating_mul(n) > MAX_LEN {
                return Value::unknown("string too large");
            }
            Str(s.repeat(n))
        }
        (List(x), O::Mult, n) | (n, O::Mult, List(x)) if as_index(n).is_some() => {
            let n = as_index(n).unwrap_or(0).max(0) as usize;
            if x.len().saturating_mul(n) > MAX_LEN {
                return Value::unknown("list too large");
            }
            List(x.iter().cloned().cycle().take(x.len() * n).collect())
        }
        (Str(fmt), O::Mod, args) => percent_format(fmt, args),
        (Path(p), O::Div, Str(s)) => Path(join_path(p, s)),
        (Path(p), O::Div, Path(s)) => Path(join_path(p, s)),
        (Str(p), O::Div, Path(s)) => Path(join_path(p, s)),
        (Dict(a), O::BitOr, Dict(b)) => {
            let mut items = a.clone();
            for (k, v) in b {
                dict_insert(&mut items, k.clone(), v.clone());
            }
            Dict(items)
        }
        (Set(a), O::BitOr, Set(b)) => Set(dedup([a.as_slice(), b.as_slice()].concat())),
        _ => {
            if let (Some(a), Some(b)) = (as_index(l), as_index(r)) {
                let v = match op {
                    O::Add => a.checked_add(b),
                    O::Sub => a.checked_sub(b),
                    O::Mult => a.checked_mul(b),
                    O::FloorDiv if b != 0 => Some(
                        a.div_euclid(b)
                            - if (a.rem_euclid(b) != 0) && (b < 0) {
                                1
                            } else {
                                0
                            },
                    ),
                    O::Mod if b != 0 => Some(((a % b) + b) % b),
                    O::Pow if (0..=64).contains(&b) => a.checked_pow(b as u32),
                    O::BitOr => Some(a | b),
                    O::BitAnd => Some(a & b),
                    O::BitXor => Some(a ^ b),
                    O::LShift if (0..64).contains(&b) => a.checked_shl(b as u32),
                    O::RShift if (0..128).contains(&b) => Some(a >> b),
                    O::Div if b != 0 => return Float(a as f64 / b as f64),
                    _ => Option::None,
                };
                return v.map_or_else(
                    || Value::unknown("arithmetic outside the evaluator's range"),
                    Int,
                );
            }
            let num = |v: &Value| match v {
                Float(x) => Some(*x),
                _ => as_index(v).map(|i| i as f64),
            };
            if let (Some(a), Some(b)) = (num(l), num(r)) {
                let v = match op {
                    O::Add => Some(a + b),
                    O::Sub => Some(a - b),
                    O::Mult => Some(a * b),
                    O::Div if b != 0.0 => Some(a / b),
                    _ => Option::None,
                };
                return v.map_or_else(|| Value::unknown("unsupported float arithmetic"), Float);
            }
            Value::unknown(format!(
                "unsupported operation between {} and {}",
                l.type_name(),
                r.type_name()
            ))
        }
    }
}

pub(super) fn percent_format(fmt: &str, args: &Value) -> Value {
    let args: Vec<Value> = match args {
        Value::Tuple(items) => items.clone(),
        Value::Dict(_) => return Value::unknown("%-formatting with a mapping"),
        other => vec![other.clone()],
    };
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s') => match it.next().map(py_str) {
                Some(Ok(s)) => out.push_str(&s),
                Some(Err(u)) => return Value::Unknown(u),
                None => return Value::unknown("not enough arguments for format string"),
            },
            Some('r') => match it.next() {
                Some(v) => out.push_str(&v.repr()),
                None => return Value::unknown("not enough arguments for format string"),
            },
            Some('d' | 'i') => match it.next().and_then(as_index) {
                Some(i) => out.push_str(&i.to_string()),
                None => return Value::unknown("%d of a non-integer"),
            },
            _ => return Value::unknown("unsupported %-format"),
        }
    }
    if it.next().is_some() {
        return Value::unknown("not all arguments converted during string formatting");
    }
    Value::Str(out)
}

pub(super) fn compare(l: &Value, op: ast::CmpOp, r: &Value) -> Result<bool, Unknown> {
    use ast::CmpOp as C;
    match op {
        C::Eq => l.py_eq(r),
        C::NotEq => l.py_eq(r).map(|b| !b),
        C::In => r.py_contains(l),
        C::NotIn => r.py_contains(l).map(|b| !b),
        C::Is | C::IsNot => {
            let same = match (l, r) {
                (Value::Unknown(u), _) | (_, Value::Unknown(u)) => return Err(u.clone()),
                (Value::None, Value::None) => true,
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => false,
                _ => return Err(Unknown::new("identity comparison of objects")),
            };
            Ok(if op == C::Is { same } else { !same })
        }
        C::Lt | C::LtE | C::Gt | C::GtE => {
            let ord = match (l, r) {
                (Value::Str(a), Value::Str(b)) => a.partial_cmp(b),
                _ => {
                    let num = |v: &Value| match v {
                        Value::Float(x) => Some(*x),
                        _ => as_index(v).map(|i| i as f64),
                    };
                    match (num(l), num(r)) {
                        (Some(a), Some(b)) => a.partial_cmp(&b),
                        _ => {
                            return Err(l
                                .first_unknown()
                                .or(r.first_unknown())
                                .cloned()
                                .unwrap_or_else(|| {
                                    Unknown::new("ordering comparison of unsupported types")
                                }));
                        }
                    }
                }
            };
            let Some(ord) = ord else { return Ok(false) };
            Ok(match op {
                C::Lt => ord.is_lt(),
                C::LtE => ord.is_le(),
                C::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
    }
}

/// Constants of libraries a settings module commonly reads.
pub(super) fn known_library_value(qualname: &str) -> Option<Value> {
    let s = |x: &str| Some(Value::Str(x.to_string()));
    match qualname {
        "django.utils.csp.CSP.NONCE" => s("<CSP_NONCE_SENTINEL>"),
        "django.utils.csp.CSP.SELF" => s("'self'"),
        "django.utils.csp.CSP.NONE" => s("'none'"),
        "django.utils.csp.CSP.UNSAFE_INLINE" => s("'unsafe-inline'"),
        "django.utils.csp.CSP.UNSAFE_EVAL" => s("'unsafe-eval'"),
        "django.utils.csp.CSP.STRICT_DYNAMIC" => s("'strict-dynamic'"),
        "django.utils.csp.CSP.REPORT_SAMPLE" => s("'report-sample'"),
        "django.utils.csp.CSP.WASM_UNSAFE_EVAL" => s("'wasm-unsafe-eval'"),
        "django.utils.csp.CSP.UNSAFE_HASHES" => s("'unsafe-hashes'"),
        "csp.constants.SELF" => s("'self'"),
        "csp.constants.NONE" => s("'none'"),
        "csp.constants.UNSAFE_INLINE" => s("'unsafe-inline'"),
        "csp.constants.UNSAFE_EVAL" => s("'unsafe-eval'"),
        "csp.constants.STRICT_DYNAMIC" => s("'strict-dynamic'"),
        "csp.constants.REPORT_SAMPLE" => s("'report-sample'"),
        "csp.constants.UNSAFE_HASHES" => s("'unsafe-hashes'"),
        "csp.constants.WASM_UNSAFE_EVAL" => s("'wasm-unsafe-eval'"),
        "os.sep" => s("/"),
        "os.path.sep" => s("/"),
        _ => None,
    }
}

pub(super) fn attribute(base: &Value, attr: &str) -> Value {
    match base {
        Value::Object { qualname, .. } => {
            let q = format!("{qualname}.{attr}");
            known_library_value(&q).unwrap_or(Value::Object {
                qualname: q,
                callable: true,
            })
        }
        // Kept as a name, as any other object's attribute (an instance's fields are read
        // before this, in the evaluator).
        Value::Pydantic { class, instance } => Value::Object {
            qualname: format!(
                "{}.{attr}",
                super::super::value::pydantic_name(*class, *instance)
            ),
            callable: true,
        },
        Value::Path(p) => match attr {
            "parent" => Value::Path(parent_path(p)),
            "name" => Value::Str(
                normalize_path(p)
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            ),
            _ => Value::unknown(format!("Path.{attr}")),
        },
        Value::Unknown(u) => Value::Unknown(u.clone()),
        other => Value::unknown(format!("attribute `{attr}` of a {}", other.type_name())),
    }
}

pub(super) fn subscript(base: &Value, key: &Value) -> Value {
    if let Value::Unknown(u) = key {
        return Value::Unknown(u.clone());
    }
    match base {
        Value::Dict(_) => match base.dict_get(key) {
            Ok(Some(v)) => v.clone(),
            Ok(None) => Value::unknown(format!("KeyError: {}", key.repr())),
            Err(u) => Value::Unknown(u),
        },
        Value::List(items) | Value::Tuple(items) => {
            if items.iter().any(|v| v.as_unknown().is_some()) {
                return Value::unknown("index into a list with unknown elements");
            }
            match as_index(key) {
                Some(i) => {
                    let idx = if i < 0 { items.len() as i128 + i } else { i };
                    usize::try_from(idx)
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned()
                        .unwrap_or_else(|| Value::unknown("IndexError"))
                }
                None => Value::unknown("non-integer index"),
            }
        }
        Value::Str(s) => match as_index(key) {
            Some(i) => {
                let chars: Vec<char> = s.chars().collect();
                let idx = if i < 0 { chars.len() as i128 + i } else { i };
                usize::try_from(idx)
                    .ok()
                    .and_then(|i| chars.get(i))
                    .map_or_else(
                        || Value::unknown("IndexError"),
                        |c| Value::Str(c.to_string()),
                    )
            }
            None => Value::unknown("non-integer index"),
        },
        Value::Object { qualname, .. } if qualname == "os.environ" => {
            Value::unknown(format!("read from the environment variable {}", key.repr()))
        }
        Value::Unknown(u) => Value::Unknown(u.clone()),
        other => Value::unknown(format!("subscript of a {}", other.type_name())),
    }
}

pub(super) fn slice(
    base: &Value,
    lower: Option<Value>,
    upper: Option<Value>,
    step: Option<Value>,
) -> Value {
    if step.is_some() {
        return Value::unknown("slice with a step");
    }
    let bound = |v: Option<Value>, len: usize, default: usize| -> Option<usize> {
        match v {
            None | Some(Value::None) => Some(default),
            Some(v) => {
                let i = as_index(&v)?;
                let i = if i < 0 {
                    (len as i128 + i).max(0)
                } else {
                    i.min(len as i128)
                };
                usize::try_from(i).ok()
            }
        }
    };
    match base {
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            match (
                bound(lower, chars.len(), 0),
                bound(upper, chars.len(), chars.len()),
            ) {
                (Some(a), Some(b)) => Value::Str(if a < b {
                    chars[a..b].iter().collect()
                } else {
                    String::new()
                }),
                _ => Value::unknown("slice bounds"),
            }
        }
        Value::List(items) | Value::Tuple(items)
            if !items.iter().any(|v| v.as_unknown().is_some()) =>
        {
            match (
                bound(lower, items.len(), 0),
                bound(upper, items.len(), items.len()),
            ) {
                (Some(a), Some(b)) => {
                    let part = if a < b {
                        items[a..b].to_vec()
                    } else {
                        Vec::new()
                    };
                    if matches!(base, Value::List(_)) {
                        Value::List(part)
                    } else {
                        Value::Tuple(part)
                    }
                }
                _ => Value::unknown("slice bounds"),
            }
        }
        Value::Unknown(u) => Value::Unknown(u.clone()),
        _ => Value::unknown("slice of an unsupported value"),
    }
}

/// Apply an in-place container method and return the new value.
pub(super) fn mutate(receiver: Value, method: &str, args: &[Value], has_kwargs: bool) -> Value {
    let unknown_arg = args.iter().find_map(Value::as_unknown).cloned();
    match (receiver, method) {
        (Value::List(mut items), "append") if args.len() == 1 => {
            items.push(args[0].clone());
            Value::List(items)
        }
        (Value::List(mut items), "extend") if args.len() == 1 => {
            match args[0].iter_elements() {
                Ok(more) => items.extend(more),
                Err(u) => items.push(Value::Unknown(u)),
            }
            Value::List(items)
        }
        (Value::List(mut items), "insert") if args.len() == 2 => {
            if items.iter().any(|v| v.as_unknown().is_some()) || as_index(&args[0]).is_none() {
                // Order does not matter to membership tests; keep the element.
                items.push(args[1].clone());
            } else {
                let len = items.len() as i128;
                let i = as_index(&args[0]).unwrap_or(len);
                let i = if i < 0 { (len + i).max(0) } else { i.min(len) };
                items.insert(usize::try_from(i).unwrap_or(0), args[1].clone());
            }
            Value::List(items)
        }
        (Value::List(mut items), "remove") if args.len() == 1 => {
            match items.iter().position(|v| v.py_eq(&args[0]) == Ok(true)) {
                Some(pos) => {
                    items.remove(pos);
                    Value::List(items)
                }
                None => match unknown_arg
                    .or_else(|| items.iter().find_map(Value::as_unknown).cloned())
                {
                    Some(u) => Value::Unknown(u),
                    None => Value::unknown("list.remove(x): x not in list (ValueError)"),
                },
            }
        }
        (Value::List(_), "clear") => Value::List(Vec::new()),
        (Value::Set(mut items), "add") if args.len() == 1 => {
            items.push(args[0].clone());
            Value::Set(dedup(items))
        }
        (Value::Set(items), "discard") if args.len() == 1 => Value::Set(
            items
                .into_iter()
                .filter(|v| v.py_eq(&args[0]) != Ok(true))
                .collect(),
        ),
        (Value::Dict(mut items), "update") if args.len() == 1 && !has_kwargs => match &args[0] {
            Value::Dict(more) => {
                for (k, v) in more {
                    dict_insert(&mut items, k.clone(), v.clone());
                }
                Value::Dict(items)
            }
            other => Value::Unknown(
                other
                    .as_unknown()
                    .cloned()
                    .unwrap_or_else(|| Unknown::new("dict.update with a non-dict")),
            ),
        },
        (Value::Dict(mut items), "setdefault") if !args.is_empty() => {
            if !items.iter().any(|(k, _)| k.py_eq(&args[0]) == Ok(true)) {
                items.push((args[0].clone(), args.get(1).cloned().unwrap_or(Value::None)));
            }
            Value::Dict(items)
        }
        (Value::Dict(mut items), "pop") if !args.is_empty() => {
            items.retain(|(k, _)| k.py_eq(&args[0]) != Ok(true));
            Value::Dict(items)
        }
        (Value::Unknown(u), _) => Value::Unknown(u),
        (other, m) => Value::unknown(format!(
            "`{m}` on a {} could not be followed",
            other.type_name()
        )),
    }
}

/// Set `root[path[0]][path[1]]... = value`, returning the new root.
pub(super) fn set_path(root: Value, path: &[Value], value: Value) -> Value {
    let Some((key, rest)) = path.split_first() else {
        return value;
    };
    match root {
        Value::Dict(mut items) => {
            let child = items
                .iter()
                .find(|(k, _)| k.py_eq(key) == Ok(true))
                .map(|(_, v)| v.clone());
            let new_child = match child {
                Some(c) => set_path(c, rest, value),
                None if rest.is_empty() => value,
                None => Value::unknown(format!("KeyError: {}", key.repr())),
            };
            dict_insert(&mut items, key.clone(), new_child);
            Value::Dict(items)
        }
        Value::List(mut items) if !items.iter().any(|v| v.as_unknown().is_some()) => {
            let Some(i) = as_index(key) else {
                return Value::unknown("list index");
            };
            let idx = if i < 0 { items.len() as i128 + i } else { i };
            match usize::try_from(idx).ok().filter(|&i| i < items.len()) {
                Some(i) => {
                    let child = std::mem::replace(&mut items[i], Value::None);
                    items[i] = set_path(child, rest, value);
                    Value::List(items)
                }
                None => Value::unknown("IndexError"),
            }
        }
        Value::Unknown(u) => Value::Unknown(u),
        other => Value::unknown(format!(
            "item assignment into a {} could not be followed",
            other.type_name()
        )),
    }
}

pub(super) fn str_arg(args: &[Value], i: usize) -> Option<&str> {
    match args.get(i) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

pub(super) fn call_method(
    recv: &Value,
    method: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Value {
    // `d.get(key, default)` with an unknown default is still decidable when the key is present.
    if let Some(u) = args
        .iter()
        .chain(kwargs.iter().map(|(_, v)| v))
        .find_map(Value::as_unknown)
        && !matches!((recv, method), (Value::Dict(_), "get"))
    {
        return Value::Unknown(u.clone());
    }
    match (recv, method) {
        (Value::Str(s), "join") if args.len() == 1 => match args[0].iter_elements() {
            Ok(items) => {
                let mut parts = Vec::new();
                for it in items {
                    match it {
                        Value::Str(x) => parts.push(x),
                        other => {
                            return Value::unknown(format!("str.join of a {}", other.type_name()));
                        }
                    }
                }
                Value::Str(parts.join(s))
            }
            Err(u) => Value::Unknown(u),
        },
        (Value::Str(s), "format") => str_format(s, args, kwargs),
        (Value::Str(s), "split") => {
            let max = args.get(1).and_then(as_index);
            if max.is_some() {
                return Value::unknown("str.split with maxsplit");
            }
            match args.first() {
                None | Some(Value::None) => {
                    Value::List(s.split_whitespace().map(|x| Value::Str(x.into())).collect())
                }
                Some(Value::Str(sep)) if !sep.is_empty() => Value::List(
                    s.split(sep.as_str())
                        .map(|x| Value::Str(x.into()))
                        .collect(),
                ),
                _ => Value::unknown("str.split separator"),
            }
        }
        (Value::Str(s), "strip") if args.is_empty() => Value::Str(s.trim().into()),
        (Value::Str(s), "lstrip") if args.is_empty() => Value::Str(s.trim_start().into()),
        (Value::Str(s), "rstrip") if args.is_empty() => Value::Str(s.trim_end().into()),
        (Value::Str(s), "strip" | "rstrip" | "lstrip") => match str_arg(args, 0) {
            Some(chars) => {
                let set: Vec<char> = chars.chars().collect();
                let t = match method {
                    "strip" => s.trim_matches(|c| set.contains(&c)),
                    "lstrip" => s.trim_start_matches(|c| set.contains(&c)),
                    _ => s.trim_end_matches(|c| set.contains(&c)),
                };
                Value::Str(t.into())
            }
            None => Value::unknown("strip argument"),
        },
        (Value::Str(s), "lower") => Value::Str(s.to_lowercase()),
        (Value::Str(s), "upper") => Value::Str(s.to_uppercase()),
        (Value::Str(s), "replace") if args.len() == 2 => match (str_arg(args, 0), str_arg(args, 1))
        {
            (Some(a), Some(b)) if !a.is_empty() => Value::Str(s.replace(a, b)),
            _ => Value::unknown("str.replace arguments"),
        },
        (Value::Str(s), "startswith") => str_arg(args, 0).map_or_else(
            || Value::unknown("startswith argument"),
            |p| Value::Bool(s.starts_with(p)),
        ),
        (Value::Str(s), "endswith") => str_arg(args, 0).map_or_else(
            || Value::unknown("endswith argument"),
            |p| Value::Bool(s.ends_with(p)),
        ),
        (Value::Path(p), "resolve" | "absolute" | "expanduser") => Value::Path(normalize_path(p)),
        (Value::Path(p), "joinpath") => {
            let mut out = p.clone();
            for a in args {
                match py_str(a) {
                    Ok(s) => out = join_path(&out, &s),
                    Err(u) => return Value::Unknown(u),
                }
            }
            Value::Path(out)
        }
        (Value::Path(p), "as_posix") => Value::Str(p.clone()),
        (Value::Dict(_), "get") => {
            let Some(key) = args.first() else {
                return Value::unknown("dict.get()");
            };
            match recv.dict_get(key) {
                Ok(Some(v)) => v.clone(),
                Ok(None) => args.get(1).cloned().unwrap_or(Value::None),
                Err(u) => Value::Unknown(u),
            }
        }
        (Value::Dict(_) | Value::List(_) | Value::Set(_), "copy") => recv.clone(),
        (Value::Dict(items), "keys") => Value::List(items.iter().map(|(k, _)| k.clone()).collect()),
        (Value::Dict(items), "values") => {
            Value::List(items.iter().map(|(_, v)| v.clone()).collect())
        }
        (Value::Dict(items), "items") => Value::List(
            items
                .iter()
                .map(|(k, v)| Value::Tuple(vec![k.clone(), v.clone()]))
                .collect(),
        ),
        (other, m) => Value::unknown(format!("method `{m}` of a {}", other.type_name())),
    }
}

pub(super) fn call_function(qualname: &str, args: &[Value], kwargs: &[(String, Value)]) -> Value {
    if let Some(u) = args
        .iter()
        .chain(kwargs.iter().map(|(_, v)| v))
        .find_map(Value::as_unknown)
    {
        return Value::Unknown(u.clone());
    }
    match qualname {
        "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" => path_of(args),
        "os.path.join" => os_path_join(args),
        "os.path.dirname" => os_path_dirname(args),
        "os.path.basename" => os_path_basename(args),
        "os.path.abspath" | "os.path.realpath" | "os.path.normpath" => os_path_normalised(args),
        "builtins.str" => match args.first() {
            None => Value::Str(String::new()),
            Some(v) => py_str(v).map_or_else(Value::Unknown, Value::Str),
        },
        "builtins.bool" => match args.first() {
            None => Value::Bool(false),
            Some(v) => v.truthy().map_or_else(Value::Unknown, Value::Bool),
        },
        "builtins.int" => builtin_int(args),
        "builtins.float" => builtin_float(args),
        "builtins.list" | "builtins.tuple" | "builtins.set" | "builtins.frozenset"
        | "builtins.sorted" => builtin_collection(qualname, args),
        "builtins.dict" => builtin_dict(args, kwargs),
        "builtins.len" => match args.first().map(|v| v.iter_elements()) {
            Some(Ok(items)) => Value::Int(items.len() as i128),
            Some(Err(u)) => Value::Unknown(u),
            None => Value::unknown("len()"),
        },
        _ => Value::unknown(format!("result of calling `{qualname}()`")),
    }
}

/// `pathlib.Path(*parts)`: the parts joined, `.` when there are none.
fn path_of(args: &[Value]) -> Value {
    let mut out = String::new();
    for a in args {
        match py_str(a) {
            Ok(s) => out = join_path(&out, &s),
            Err(u) => return Value::Unknown(u),
        }
    }
    Value::Path(if out.is_empty() { ".".into() } else { out })
}

/// `os.path.join(*parts)`: an absolute part restarts the path.
fn os_path_join(args: &[Value]) -> Value {
    let mut out = String::new();
    for a in args {
        match py_str(a) {
            Ok(s) => {
                out = if out.is_empty() || s.starts_with('/') {
                    s
                } else if out.ends_with('/') {
                    format!("{out}{s}")
                } else {
                    format!("{out}/{s}")
                }
            }
            Err(u) => return Value::Unknown(u),
        }
    }
    Value::Str(out)
}

/// `os.path.dirname(path)`.
fn os_path_dirname(args: &[Value]) -> Value {
    args.first().map_or_else(
        || Value::unknown("dirname()"),
        |a| match py_str(a) {
            Ok(s) => Value::Str(match s.rfind('/') {
                Some(0) => "/".into(),
                Some(i) => s[..i].trim_end_matches('/').to_string(),
                None => String::new(),
            }),
            Err(u) => Value::Unknown(u),
        },
    )
}

/// `os.path.basename(path)`.
fn os_path_basename(args: &[Value]) -> Value {
    args.first().map_or_else(
        || Value::unknown("basename()"),
        |a| match py_str(a) {
            Ok(s) => Value::Str(s.rsplit('/').next().unwrap_or("").to_string()),
            Err(u) => Value::Unknown(u),
        },
    )
}

/// `os.path.abspath`, `realpath` and `normpath`: the path normalised.
fn os_path_normalised(args: &[Value]) -> Value {
    args.first().map_or_else(
        || Value::unknown("path()"),
        |a| match py_str(a) {
            Ok(s) => Value::Str(normalize_path(&s)),
            Err(u) => Value::Unknown(u),
        },
    )
}

/// `int(x)` of nothing, a numeric string, a float or an integer-like value.
fn builtin_int(args: &[Value]) -> Value {
    match args.first() {
        None => Value::Int(0),
        Some(Value::Str(s)) => s.trim().replace('_', "").parse::<i128>().map_or_else(
            |_| Value::unknown("int() of a non-numeric string (ValueError)"),
            Value::Int,
        ),
        Some(Value::Float(x)) => Value::Int(x.trunc() as i128),
        Some(v) => as_index(v).map_or_else(|| Value::unknown("int() argument"), Value::Int),
    }
}

/// `float(x)` of nothing, a numeric string, a float or an integer-like value.
fn builtin_float(args: &[Value]) -> Value {
    match args.first() {
        None => Value::Float(0.0),
        Some(Value::Str(s)) => s.trim().parse::<f64>().map_or_else(
            |_| Value::unknown("float() of a non-numeric string"),
            Value::Float,
        ),
        Some(Value::Float(x)) => Value::Float(*x),
        Some(v) => as_index(v).map_or_else(
            || Value::unknown("float() argument"),
            |i| Value::Float(i as f64),
        ),
    }
}

/// `list`, `tuple`, `set`, `frozenset` and `sorted` of an iterable (or of nothing).
fn builtin_collection(qualname: &str, args: &[Value]) -> Value {
    let items = match args.first() {
        None => Ok(Vec::new()),
        Some(v) => v.iter_elements(),
    };
    match items {
        Ok(items) => match qualname {
            "builtins.list" => Value::List(items),
            "builtins.tuple" => Value::Tuple(items),
            "builtins.sorted" => sorted_strings(items),
            _ => Value::Set(dedup(items)),
        },
        Err(u) => Value::Unknown(u),
    }
}

/// `sorted()` of strings; the order of mixed values is not modelled.
fn sorted_strings(items: Vec<Value>) -> Value {
    if items.iter().all(|v| matches!(v, Value::Str(_))) {
        let mut strs: Vec<String> = items
            .into_iter()
            .filter_map(|v| if let Value::Str(s) = v { Some(s) } else { None })
            .collect();
        strs.sort();
        Value::List(strs.into_iter().map(Value::Str).collect())
    } else {
        Value::unknown("sorted() of mixed values")
    }
}

/// `dict(mapping, **kwargs)`: the keyword arguments update a copy of the mapping.
fn builtin_dict(args: &[Value], kwargs: &[(String, Value)]) -> Value {
    let mut items = match args.first() {
        None => Vec::new(),
        Some(Value::Dict(d)) => d.clone(),
        Some(_) => return Value::unknown("dict() of a non-dict"),
    };
    for (k, v) in kwargs {
        dict_insert(&mut items, Value::Str(k.clone()), v.clone());
    }
    Value::Dict(items)
}

/// `str.format` of a literal template: `{}` (automatic numbering), `{0}`, `{name}` and the
/// `{{`/`}}` escapes; a conversion or format spec (`{x!r}`, `{x:>4}`) is not modelled.
pub(super) fn str_format(s: &str, args: &[Value], kwargs: &[(String, Value)]) -> Value {
    let mut out = String::new();
    let mut auto = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                for c2 in chars.by_ref() {
                    if c2 == '}' {
                        break;
                    }
                    field.push(c2);
                }
                let v = if field.is_empty() {
                    auto += 1;
                    args.get(auto - 1)
                } else if let Ok(i) = field.parse::<usize>() {
                    args.get(i)
                } else {
                    kwargs.iter().find(|(k, _)| *k == field).map(|(_, v)| v)
                };
                match v.map(py_str) {
                    Some(Ok(t)) => out.push_str(&t),
                    Some(Err(u)) => return Value::Unknown(u),
                    None => return Value::unknown("str.format field not supported"),
                }
            }
            other => out.push(other),
        }
    }
    Value::Str(out)
}
