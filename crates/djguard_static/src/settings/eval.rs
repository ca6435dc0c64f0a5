//! The settings evaluator: runs a settings module's top level in our head, statement by
//! statement, the way Python would import it — literals, earlier names, string building,
//! container displays and mutations, `from .base import *` across project modules, paths.
//! It never executes user code: whatever it cannot know becomes `Value::Unknown` with the
//! reason, so that no check ever fires on a guess.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::rc::Rc;

use crate::project::Project;
use crate::python::ast::{self, Expr, Number, Stmt};
use crate::python::{Ranged, TextRange};
use crate::settings::env::{EnvDep, Environment, merge_deps};
use crate::settings::readers::{self, EnvironScheme};
use crate::settings::value::{Unknown, Value};

/// Where a binding was written: file index in `Project::python` and the statement's range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Origin {
    pub file: usize,
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub struct Binding {
    pub value: Value,
    pub origin: Origin,
    /// The environment variables this value depends on (directly, through names it was
    /// computed from, or through the `if` it was assigned under).
    pub env: Vec<EnvDep>,
}

/// The names a module defines once its top level has run.
#[derive(Debug, Default, Clone)]
pub struct ModuleScope {
    pub names: HashMap<String, Binding>,
    /// Set when something may have changed names we cannot see (`from x import *` of a module
    /// outside the project, `globals().update(...)`): names not bound afterwards are unknown.
    pub opaque: Option<Unknown>,
    /// `__all__`, when the module defines it as a known list of strings.
    pub all: Option<Vec<String>>,
}

/// Python-level control flow out of a statement list.
enum Flow {
    Normal,
    /// An exception Python would raise here; `ImportError` is the one we model precisely.
    Raise(Exception),
}

#[derive(Clone, Copy, PartialEq)]
enum Exception {
    ImportError,
    Other,
}

/// Longest string or container the evaluator builds; larger results become unknown.
const MAX_LEN: usize = 1 << 20;

pub struct Evaluator<'p> {
    project: &'p Project,
    environment: &'p Environment,
    schemes: RefCell<Vec<EnvironScheme>>,
    pydantic: RefCell<Vec<readers::PydClass>>,
    cache: RefCell<HashMap<usize, Rc<ModuleScope>>>,
    in_progress: RefCell<HashSet<usize>>,
    /// Nesting of project-function calls being evaluated.
    call_depth: std::cell::Cell<usize>,
}

const SPLIT_INCLUDE: &str = "split_settings.tools.include";
const SPLIT_OPTIONAL: &str = "split_settings.tools.optional";
const SPLIT_OPTIONAL_MARK: &str = "split_settings.optional:";

/// Deepest chain of project-function calls evaluated from settings.
const MAX_CALL_DEPTH: usize = 6;

pub struct Frame {
    file: usize,
    module_name: String,
    package: String,
    abs_path: String,
    scope: ModuleScope,
    /// Environment dependencies read by the statement being executed.
    reads: Vec<EnvDep>,
    /// Dependencies of the enclosing `if` conditions.
    cond: Vec<EnvDep>,
    /// The last `raise` run, with the environment variables its branch depends on.
    raised: Option<(TextRange, Vec<EnvDep>)>,
    /// Files django-split-settings' `include()` already ran in this namespace.
    included: Vec<usize>,
}

impl<'p> Evaluator<'p> {
    pub fn new(project: &'p Project, environment: &'p Environment) -> Self {
        Evaluator {
            project,
            environment,
            schemes: RefCell::new(Vec::new()),
            pydantic: RefCell::new(Vec::new()),
            cache: RefCell::new(HashMap::default()),
            in_progress: RefCell::new(HashSet::default()),
            call_depth: std::cell::Cell::new(0),
        }
    }

    /// Evaluate the module in `Project::python[file]` (cached).
    pub fn module(&self, file: usize) -> Rc<ModuleScope> {
        if let Some(done) = self.cache.borrow().get(&file) {
            return done.clone();
        }
        let py = &self.project.python[file];
        if !self.in_progress.borrow_mut().insert(file) {
            return Rc::new(ModuleScope {
                opaque: Some(Unknown::new(format!("circular import of {}", py.rel))),
                ..ModuleScope::default()
            });
        }
        let mut frame = Frame {
            file,
            module_name: py.module_name.clone().unwrap_or_default(),
            package: py.package(),
            abs_path: std::path::absolute(&py.abs)
                .unwrap_or_else(|_| py.abs.clone())
                .to_string_lossy()
                .into_owned(),
            scope: ModuleScope::default(),
            reads: Vec::new(),
            cond: Vec::new(),
            raised: None,
            included: Vec::new(),
        };
        match &py.parsed {
            Some(parsed) if parsed.syntax_errors.is_empty() => {
                if let Flow::Raise(_) = self.exec_body(&mut frame, &parsed.module.body) {
                    // Importing this module would fail; what ran so far is kept, the rest is
                    // unknown.
                    let why = match &frame.raised {
                        Some((range, deps)) => {
                            let at = frame.abs_path_line(self, *range);
                            let vars: Vec<&str> = deps
                                .iter()
                                .filter(|d| !d.provided)
                                .map(|d| d.var.as_str())
                                .collect();
                            if vars.is_empty() {
                                format!("{} raises an exception while importing ({at})", py.rel)
                            } else {
                                format!(
                                    "{} raises an exception while importing ({at}), depending on {}; give the deployment's value with {}",
                                    py.rel,
                                    vars.join(", "),
                                    vars.iter()
                                        .map(|v| format!("--env {v}=…"))
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                )
                            }
                        }
                        None => format!("{} raises an exception while importing", py.rel),
                    };
                    frame.scope.opaque.get_or_insert(Unknown::new(why));
                }
            }
            Some(_) => {
                frame.scope.opaque = Some(Unknown::new(format!("{} has syntax errors", py.rel)));
            }
            None => {
                frame.scope.opaque = Some(Unknown::new(format!("{} could not be read", py.rel)));
            }
        }
        let scope = Rc::new(frame.scope);
        self.in_progress.borrow_mut().remove(&file);
        self.cache.borrow_mut().insert(file, scope.clone());
        scope
    }
}

/// A star import of a module that is not known may rebind every setting written so far: their
/// values become unknown (where they were written stays known).
fn overridable(scope: &mut ModuleScope, u: &Unknown) {
    for (name, b) in scope.names.iter_mut() {
        if crate::settings::value::is_setting_name(name) {
            b.value = Value::Unknown(u.clone());
        }
    }
}

/// Whether source text writes a module's namespace (`globals()`, `sys.modules`, a frame's
/// globals).
fn touches_namespace(text: &str) -> bool {
    [
        "globals()",
        "sys.modules",
        "f_globals",
        "f_locals",
        "setattr(module",
        "__dict__.update",
    ]
    .iter()
    .any(|m| text.contains(m))
}

impl Frame {
    fn record(&mut self, dep: Option<EnvDep>) {
        if let Some(d) = dep {
            crate::settings::env::add_dep(&mut self.reads, d);
        }
    }

    /// What a binding made now depends on: this statement's reads and the enclosing tests.
    fn current_deps(&self) -> Vec<EnvDep> {
        let mut deps = self.reads.clone();
        merge_deps(&mut deps, &self.cond);
        deps
    }

    fn abs_path_line(&self, ev: &Evaluator, range: TextRange) -> String {
        let py = &ev.project.python[self.file];
        match &py.parsed {
            Some(p) => format!("{}:{}", py.rel, p.position(range.start()).line),
            None => py.rel.clone(),
        }
    }
}

fn f_slice(ev: &Evaluator, f: &Frame, range: TextRange) -> String {
    let text = ev.project.python[f.file]
        .parsed
        .as_ref()
        .map(|p| p.slice(range))
        .unwrap_or("");
    let mut s: String = text.chars().take(60).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

fn f_slice_full(ev: &Evaluator, f: &Frame, range: TextRange) -> String {
    ev.project.python[f.file]
        .parsed
        .as_ref()
        .map(|p| p.slice(range).to_string())
        .unwrap_or_default()
}

fn qualify(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}.{name}")
    }
}

/// Merge the scope one branch left (`other`) into the scope the alternative left (`into`).
fn merge_scopes(into: &mut ModuleScope, other: ModuleScope, why: &str) {
    if into.opaque.is_none() {
        into.opaque = other.opaque;
    }
    let mut names: Vec<String> = other.names.keys().cloned().collect();
    names.extend(into.names.keys().cloned());
    names.sort_unstable();
    names.dedup();
    for name in names {
        let merged = match (into.names.get(&name), other.names.get(&name)) {
            (Some(b), Some(a)) => {
                let mut env = b.env.clone();
                merge_deps(&mut env, &a.env);
                // Report where the branch that changed the value wrote it.
                let origin = if a.origin != b.origin {
                    a.origin
                } else {
                    b.origin
                };
                Binding {
                    value: join(&a.value, &b.value, why),
                    origin,
                    env,
                }
            }
            (Some(only), None) | (None, Some(only)) => Binding {
                value: match &only.value {
                    Value::Unknown(_) => only.value.clone(),
                    _ => Value::unknown(format!("bound in only some branches: {why}")),
                },
                origin: only.origin,
                env: only.env.clone(),
            },
            (None, None) => continue,
        };
        into.names.insert(name, merged);
    }
}

/// The value that holds whichever branch ran: equal values stay; sequences and dicts keep what
/// both share, with an unknown marker for the rest; anything else is unknown.
fn join(a: &Value, b: &Value, why: &str) -> Value {
    if a.py_eq(b) == Ok(true) {
        return a.clone();
    }
    // A value already unknown keeps its own reason: the branch did not cause it.
    if let Value::Unknown(_) = a {
        return a.clone();
    }
    if let Value::Unknown(_) = b {
        return b.clone();
    }
    let common = |x: &[Value], y: &[Value]| -> Vec<Value> {
        let mut rest: Vec<&Value> = y.iter().collect();
        let mut out = Vec::new();
        let mut only_x = Vec::new();
        for item in x {
            // Identical elements match too: a `Maybe` both branches inherited stays one element.
            if let Some(pos) = rest
                .iter()
                .position(|v| *v == item || v.py_eq(item) == Ok(true))
            {
                rest.remove(pos);
                out.push(item.clone());
            } else {
                only_x.push(item.clone());
            }
        }
        // What only one branch has may or may not be there.
        for item in only_x.into_iter().chain(rest.into_iter().cloned()) {
            out.push(match item {
                Value::Maybe(..) | Value::Unknown(_) => item,
                other => Value::Maybe(Box::new(other), Unknown::new(why.to_string())),
            });
        }
        out
    };
    match (a, b) {
        (Value::List(x), Value::List(y)) => Value::List(common(x, y)),
        (Value::Tuple(x), Value::Tuple(y)) => Value::Tuple(common(x, y)),
        (Value::Set(x), Value::Set(y)) => Value::Set(common(x, y)),
        (Value::Dict(x), Value::Dict(y)) => {
            let mut items: Vec<(Value, Value)> = Vec::new();
            for (k, v) in x {
                if let Some((_, w)) = y.iter().find(|(k2, _)| k2.py_eq(k) == Ok(true)) {
                    items.push((k.clone(), join(v, w, why)));
                }
            }
            if items.len() < x.len() || items.len() < y.len() {
                let u = Value::unknown(why.to_string());
                items.push((u.clone(), u));
            }
            Value::Dict(items)
        }
        _ => Value::unknown(why.to_string()),
    }
}

fn dedup(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for x in items {
        if !out.iter().any(|y| y.py_eq(&x) == Ok(true)) {
            out.push(x);
        }
    }
    out
}

fn dict_insert(items: &mut Vec<(Value, Value)>, k: Value, v: Value) {
    if let Some(slot) = items.iter_mut().find(|(k2, _)| k2.py_eq(&k) == Ok(true)) {
        slot.1 = v;
    } else {
        items.push((k, v));
    }
}

/// Python's `str(value)`.
pub fn py_str(v: &Value) -> Result<String, Unknown> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        Value::Path(p) => Ok(p.clone()),
        Value::Unknown(u) => Err(u.clone()),
        Value::Object { qualname, .. } => Err(Unknown::new(format!("str() of {qualname}"))),
        Value::Pydantic { class, instance } => Err(Unknown::new(format!(
            "str() of {}",
            super::value::pydantic_name(*class, *instance)
        ))),
        other => match other.first_unknown() {
            Some(u) => Err(u.clone()),
            None => Ok(other.repr()),
        },
    }
}

fn as_index(v: &Value) -> Option<i128> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i128::from(*b)),
        _ => None,
    }
}

mod builtins;
mod calls;
mod expressions;
mod paths;
mod statements;

use builtins::*;
use paths::*;
use statements::expr_tail_name;

#[cfg(test)]
mod tests;
