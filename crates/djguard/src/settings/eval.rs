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

/// Object names for pydantic-settings classes and instances (index into `Evaluator::pydantic`).
const PYD_CLASS: &str = "pydantic_settings.class@";
const PYD_INSTANCE: &str = "pydantic_settings.instance@";

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

    fn exec_body(&self, f: &mut Frame, body: &[Stmt]) -> Flow {
        for stmt in body {
            if let Flow::Raise(e) =
                stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.exec(f, stmt))
            {
                return Flow::Raise(e);
            }
        }
        Flow::Normal
    }

    fn origin(&self, f: &Frame, range: TextRange) -> Origin {
        Origin {
            file: f.file,
            range,
        }
    }

    fn bind(&self, f: &mut Frame, name: &str, value: Value, range: TextRange) {
        let origin = self.origin(f, range);
        let env = f.current_deps();
        f.scope
            .names
            .insert(name.to_string(), Binding { value, origin, env });
    }

    fn exec(&self, f: &mut Frame, stmt: &Stmt) -> Flow {
        f.reads.clear();
        match stmt {
            Stmt::Assign(s)
                if s.targets.iter().any(|t| {
                    matches!(t, Expr::Subscript(_))
                        && touches_namespace(&f_slice_full(self, f, t.range()))
                }) =>
            {
                f.scope.opaque.get_or_insert(Unknown::new(format!(
                    "the module's names are written through a subscript ({}), which may set any setting",
                    f.abs_path_line(self, s.range)
                )));
            }
            Stmt::Assign(s) => {
                let value = self.eval(f, &s.value);
                for target in &s.targets {
                    self.assign(f, target, value.clone(), s.range);
                }
            }
            Stmt::AnnAssign(s) => {
                if let Some(v) = &s.value {
                    let value = self.eval(f, v);
                    self.assign(f, &s.target, value, s.range);
                }
            }
            Stmt::AugAssign(s) => {
                let rhs = self.eval(f, &s.value);
                let current = self.eval(f, &s.target);
                let value = match (&current, s.op) {
                    // `list += iterable` extends in place with any iterable.
                    (Value::List(items), ast::Operator::Add) => match rhs.iter_elements() {
                        Ok(more) => {
                            let mut items = items.clone();
                            items.extend(more);
                            Value::List(items)
                        }
                        Err(u) => {
                            let mut items = items.clone();
                            items.push(Value::Unknown(u));
                            Value::List(items)
                        }
                    },
                    _ => binop(&current, s.op, &rhs),
                };
                self.assign_keep_origin(f, &s.target, value, s.range);
            }
            Stmt::Expr(s) => self.exec_expr_stmt(f, &s.value),
            Stmt::Import(s) => {
                for alias in &s.names {
                    let full = alias.name.id.as_str();
                    let (local, qual) = match &alias.asname {
                        Some(a) => (a.id.as_str(), full),
                        None => {
                            let head = full.split('.').next().unwrap_or(full);
                            (head, head)
                        }
                    };
                    let value = Value::Object {
                        qualname: qual.to_string(),
                        callable: false,
                    };
                    self.bind(f, local, value, s.range);
                }
            }
            Stmt::ImportFrom(s) => return self.exec_import_from(f, s),
            Stmt::FunctionDef(s) => {
                let value = Value::Object {
                    qualname: qualify(&f.module_name, s.name.id.as_str()),
                    callable: true,
                };
                self.bind(f, s.name.id.as_str(), value, s.range);
            }
            Stmt::ClassDef(s) => {
                // django-configurations: the settings are the attributes of the class that
                // DJANGO_CONFIGURATION names, copied into the module when Django imports it.
                let configuration = s.arguments.as_ref().is_some_and(|a| {
                    a.args.iter().any(|b| {
                        matches!(self.peek_name(f, b), Value::Object { qualname, .. } if qualname.starts_with("configurations."))
                            || matches!(b, Expr::Attribute(at) if at.attr.id.as_str() == "Configuration" && matches!(&*at.value, Expr::Name(n) if n.id.as_str() == "configurations"))
                    })
                });
                if configuration {
                    f.scope.opaque.get_or_insert(Unknown::new(format!(
                        "the settings are attributes of django-configurations classes ({}), chosen by DJANGO_CONFIGURATION; not followed",
                        f.abs_path_line(self, s.range)
                    )));
                }
                let value = match self.pydantic_class(f, s) {
                    Some(idx) => Value::Object {
                        qualname: format!("{PYD_CLASS}{idx}"),
                        callable: true,
                    },
                    None => Value::Object {
                        qualname: qualify(&f.module_name, s.name.id.as_str()),
                        callable: true,
                    },
                };
                self.bind(f, s.name.id.as_str(), value, s.range);
            }
            Stmt::If(s) => return self.exec_if(f, s),
            Stmt::Try(s) => return self.exec_try(f, s),
            Stmt::With(s) => return self.exec_body(f, &s.body),
            Stmt::For(_) | Stmt::While(_) | Stmt::Match(_)
                if touches_namespace(&f_slice_full(self, f, stmt.range())) =>
            {
                f.scope.opaque.get_or_insert(Unknown::new(format!(
                    "a loop writes the module's names ({}), which may set any setting",
                    f.abs_path_line(self, stmt.range())
                )));
            }
            Stmt::For(_) | Stmt::While(_) | Stmt::Match(_) => {
                let line_reason = format!(
                    "assigned inside a loop or match statement ({})",
                    f.abs_path_line(self, stmt.range())
                );
                self.forget_written(f, std::slice::from_ref(stmt), &line_reason);
            }
            Stmt::Delete(s) => {
                for t in &s.targets {
                    if let Expr::Name(n) = t {
                        f.scope.names.remove(n.id.as_str());
                    }
                }
            }
            Stmt::Raise(_) => {
                f.raised = Some((stmt.range(), f.cond.clone()));
                return Flow::Raise(Exception::Other);
            }
            _ => {}
        }
        Flow::Normal
    }

    /// A `pydantic_settings.BaseSettings` subclass: record its prefix and fields.
    fn pydantic_class(&self, f: &mut Frame, s: &ast::StmtClassDef) -> Option<usize> {
        let bases = s.arguments.as_ref()?;
        let is_settings = bases.args.iter().any(|b| {
            matches!(self.eval(f, b), Value::Object { qualname, .. } if readers::PYDANTIC_BASES.contains(&qualname.as_str()) || qualname.starts_with(PYD_CLASS))
        });
        if !is_settings {
            return None;
        }
        let mut class = readers::PydClass::default();
        // Fields inherited from a settings base class of the project.
        for b in bases.args.iter() {
            if let Value::Object { qualname, .. } = self.eval(f, b)
                && let Some(parent) = qualname
                    .strip_prefix(PYD_CLASS)
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| self.pydantic.borrow().get(i).cloned())
            {
                class = parent;
            }
        }
        let config_kwargs = |call: &ast::ExprCall, class: &mut readers::PydClass| {
            for k in call.arguments.keywords.iter() {
                match (k.arg.as_ref().map(|a| a.id.as_str()), &k.value) {
                    (Some("env_prefix"), Expr::StringLiteral(p)) => {
                        class.prefix = p.value.to_str().to_string()
                    }
                    (Some("case_sensitive"), Expr::BooleanLiteral(b)) => {
                        class.case_sensitive = b.value
                    }
                    _ => {}
                }
            }
        };
        for stmt in &s.body {
            match stmt {
                Stmt::AnnAssign(a) => {
                    let Expr::Name(name) = &*a.target else {
                        continue;
                    };
                    if name.id.as_str() == "model_config" {
                        continue;
                    }
                    let default = a.value.as_ref().map(|v| match &**v {
                        // `Field(default=...)` / `Field(...)`: the default, if written.
                        Expr::Call(c) if matches!(self.eval(f, &c.func), Value::Object { ref qualname, .. } if qualname == "pydantic.Field") => c
                            .arguments
                            .keywords
                            .iter()
                            .find(|k| k.arg.as_ref().is_some_and(|n| n.id.as_str() == "default"))
                            .map(|k| self.eval(f, &k.value))
                            .or_else(|| c.arguments.args.first().filter(|e| !matches!(e, Expr::EllipsisLiteral(_))).map(|e| self.eval(f, e)))
                            .unwrap_or_else(|| Value::unknown("Field() without a plain default")),
                        other => self.eval(f, other),
                    });
                    class.fields.retain(|fl| fl.name != name.id.as_str());
                    class.fields.push(readers::PydField {
                        name: name.id.to_string(),
                        kind: readers::pyd_kind(&a.annotation),
                        default,
                    });
                }
                Stmt::Assign(a) if matches!(a.targets.as_slice(), [Expr::Name(n)] if n.id.as_str() == "model_config") => {
                    if let Expr::Call(call) = &*a.value {
                        config_kwargs(call, &mut class);
                    }
                }
                // pydantic v1: `class Config: env_prefix = "APP_"`.
                Stmt::ClassDef(c) if c.name.id.as_str() == "Config" => {
                    for inner in &c.body {
                        if let Stmt::Assign(a) = inner
                            && let [Expr::Name(n)] = a.targets.as_slice()
                        {
                            match (n.id.as_str(), &*a.value) {
                                ("env_prefix", Expr::StringLiteral(p)) => {
                                    class.prefix = p.value.to_str().to_string()
                                }
                                ("case_sensitive", Expr::BooleanLiteral(b)) => {
                                    class.case_sensitive = b.value
                                }
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let mut all = self.pydantic.borrow_mut();
        all.push(class);
        Some(all.len() - 1)
    }

    fn exec_if(&self, f: &mut Frame, s: &ast::StmtIf) -> Flow {
        let mut branches: Vec<(Option<&Expr>, &[Stmt])> = vec![(Some(&s.test), &s.body)];
        for clause in &s.elif_else_clauses {
            branches.push((clause.test.as_ref(), &clause.body));
        }
        let outer = f.cond.clone();
        let flow = self.exec_branches(f, &branches);
        f.cond = outer;
        flow
    }

    /// Run the first branch whose test holds. Where a test cannot be decided, run that branch
    /// and the rest of the chain each on its own copy of the scope and merge what they bound:
    /// values equal in every branch stay known, containers keep what all branches share.
    fn exec_branches(&self, f: &mut Frame, branches: &[(Option<&Expr>, &[Stmt])]) -> Flow {
        let Some(((test, body), rest)) = branches.split_first() else {
            return Flow::Normal;
        };
        f.reads.clear();
        let taken = match test {
            None => Ok(true),
            Some(t) => self.eval(f, t).truthy(),
        };
        // Which branch runs depends on what every test so far read.
        let reads = std::mem::take(&mut f.reads);
        merge_deps(&mut f.cond, &reads);
        match taken {
            Ok(true) => self.exec_body(f, body),
            Ok(false) => self.exec_branches(f, rest),
            Err(u) => {
                let at = test.map_or_else(String::new, |t| f.abs_path_line(self, t.range()));
                // An undecided test keeps the root cause: a test unknown because of an earlier
                // undecided branch is not re-labelled.
                let why = if u.reason.starts_with("differs between the branches")
                    || u.reason.starts_with("bound in only some branches")
                {
                    u.reason.clone()
                } else {
                    format!(
                        "differs between the branches of the condition at {at} ({})",
                        u.short()
                    )
                };
                let before = f.scope.clone();
                let flow_a = self.exec_body(f, body);
                let scope_a = std::mem::replace(&mut f.scope, before);
                let flow_b = self.exec_branches(f, rest);
                match (flow_a, flow_b) {
                    (Flow::Raise(_), flow) => flow,
                    (Flow::Normal, Flow::Raise(_)) => {
                        f.scope = scope_a;
                        Flow::Normal
                    }
                    (Flow::Normal, Flow::Normal) => {
                        merge_scopes(&mut f.scope, scope_a, &why);
                        Flow::Normal
                    }
                }
            }
        }
    }

    fn exec_try(&self, f: &mut Frame, s: &ast::StmtTry) -> Flow {
        let mut flow = self.exec_body(f, &s.body);
        if let Flow::Raise(exc) = flow {
            let handler = s.handlers.iter().find(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                handler_catches(h.type_.as_deref(), exc)
            });
            flow = match handler {
                Some(ast::ExceptHandler::ExceptHandler(h)) => self.exec_body(f, &h.body),
                None => Flow::Raise(exc),
            };
        } else {
            flow = self.exec_body(f, &s.orelse);
        }
        let fin = self.exec_body(f, &s.finalbody);
        if let Flow::Raise(e) = fin {
            return Flow::Raise(e);
        }
        flow
    }

    /// Every name a statement list could write becomes unknown with `reason`.
    fn forget_written(&self, f: &mut Frame, body: &[Stmt], reason: &str) {
        let mut names = Vec::new();
        written_names(body, &mut names);
        for (name, range) in names {
            if name == "*" {
                f.scope
                    .opaque
                    .get_or_insert(Unknown::new(reason.to_string()));
                continue;
            }
            self.bind(f, &name, Value::unknown(reason.to_string()), range);
        }
    }

    fn exec_import_from(&self, f: &mut Frame, s: &ast::StmtImportFrom) -> Flow {
        let module = s.module.as_ref().map(|m| m.id.as_str());
        let Some(target) = crate::python::semantic::resolve_relative(&f.package, s.level, module)
        else {
            self.missing_star_import(f, s);
            return Flow::Raise(Exception::ImportError);
        };
        let project_module = self.project.module_from(&target, f.file);
        match project_module {
            Some(idx) => {
                let scope = self.module(idx);
                for alias in &s.names {
                    let name = alias.name.id.as_str();
                    if name == "*" {
                        let public: Vec<(&String, &Binding)> = match &scope.all {
                            Some(all) => scope
                                .names
                                .iter()
                                .filter(|(k, _)| all.contains(k))
                                .collect(),
                            None => scope
                                .names
                                .iter()
                                .filter(|(k, _)| !k.starts_with('_'))
                                .collect(),
                        };
                        let cond = f.cond.clone();
                        for (k, b) in public {
                            let mut b = b.clone();
                            merge_deps(&mut b.env, &cond);
                            f.scope.names.insert(k.clone(), b);
                        }
                        if let Some(u) = &scope.opaque {
                            f.scope.opaque.get_or_insert(u.clone());
                        }
                        continue;
                    }
                    let local = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                    let binding = match scope.names.get(name) {
                        Some(b) => b.clone(),
                        None => {
                            let sub = format!("{target}.{name}");
                            let value = if self.project.module(&sub).is_some() {
                                Value::Object {
                                    qualname: sub,
                                    callable: false,
                                }
                            } else if let Some(u) = &scope.opaque {
                                Value::Unknown(u.clone())
                            } else {
                                // Python raises ImportError: cannot import name.
                                return Flow::Raise(Exception::ImportError);
                            };
                            Binding {
                                value,
                                origin: self.origin(f, s.range),
                                env: f.cond.clone(),
                            }
                        }
                    };
                    f.scope.names.insert(local.to_string(), binding);
                }
                Flow::Normal
            }
            None => {
                // A relative import, or one naming a package of this project, that the project
                // does not contain fails at import time.
                let top = target.split('.').next().unwrap_or("");
                if s.level > 0
                    || (self.project.has_top_level_from(top, f.file) && top != f.module_name)
                {
                    self.missing_star_import(f, s);
                    return Flow::Raise(Exception::ImportError);
                }
                for alias in &s.names {
                    let name = alias.name.id.as_str();
                    if name == "*" {
                        let u = Unknown::new(format!(
                            "`from {target} import *` ({}) imports names from a module that is not in the project, which may set any setting",
                            f.abs_path_line(self, s.range)
                        ));
                        overridable(&mut f.scope, &u);
                        f.scope.opaque.get_or_insert(u);
                        continue;
                    }
                    let local = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                    let qualname = format!("{target}.{name}");
                    let value = known_library_value(&qualname).unwrap_or(Value::Object {
                        qualname,
                        callable: true,
                    });
                    self.bind(f, local, value, s.range);
                }
                Flow::Normal
            }
        }
    }

    /// `try: from .local import * except ImportError: pass` of a module the project does not
    /// hold: it is made where the site is deployed, and whatever it sets is not known here.
    fn missing_star_import(&self, f: &mut Frame, s: &ast::StmtImportFrom) {
        if s.names.iter().any(|a| a.name.id.as_str() == "*") {
            let module = s.module.as_ref().map_or("", |m| m.id.as_str());
            let u = Unknown::new(format!(
                "`from {}{module} import *` ({}) names a module that is not in the project (made at deployment?), which may set any setting",
                ".".repeat(s.level as usize),
                f.abs_path_line(self, s.range)
            ));
            overridable(&mut f.scope, &u);
            f.scope.opaque.get_or_insert(u);
        }
    }

    /// Expression statements: in-place mutations of containers (`MIDDLEWARE.append(...)`).
    fn exec_expr_stmt(&self, f: &mut Frame, e: &Expr) {
        let Expr::Call(call) = e else { return };
        if let Some(why) = self.dynamic_export(f, call) {
            f.scope.opaque.get_or_insert(Unknown::new(why));
            return;
        }
        // A plain call: run what can be followed (`include(...)`, project functions).
        if !matches!(&*call.func, Expr::Attribute(_)) {
            let _ = self.eval(f, e);
            return;
        }
        let passes_namespace = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).any(|a| {
            matches!(a, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if matches!(n.id.as_str(), "locals" | "globals" | "vars")))
        });
        if passes_namespace {
            f.scope.opaque = Some(Unknown::new(format!(
                "the module namespace is handed to `{}` ({}), which may change any setting",
                f_slice(self, f, call.func.range()),
                f.abs_path_line(self, call.range())
            )));
            return;
        }
        let Expr::Attribute(attr) = &*call.func else {
            return;
        };
        let method = attr.attr.id.as_str();
        if !matches!(
            method,
            "append"
                | "extend"
                | "insert"
                | "remove"
                | "update"
                | "pop"
                | "clear"
                | "setdefault"
                | "add"
                | "discard"
        ) {
            return;
        }
        // `globals().update(...)` and friends.
        if let Expr::Call(inner) = &*attr.value
            && matches!(&*inner.func, Expr::Name(n) if matches!(n.id.as_str(), "globals" | "locals" | "vars"))
        {
            f.scope.opaque = Some(Unknown::new(format!(
                "the module namespace is modified directly ({})",
                f.abs_path_line(self, call.range())
            )));
            return;
        }
        let receiver = self.eval(f, &attr.value);
        let args: Vec<Value> = call
            .arguments
            .args
            .iter()
            .map(|a| self.eval(f, a))
            .collect();
        let has_kwargs = !call.arguments.keywords.is_empty();
        let mutated = mutate(receiver, method, &args, has_kwargs);
        self.assign_keep_origin(f, &attr.value, mutated, call.range());
    }

    fn assign(&self, f: &mut Frame, target: &Expr, value: Value, range: TextRange) {
        match target {
            Expr::Name(n) => self.bind(f, n.id.as_str(), value, range),
            Expr::Tuple(t) => self.unpack(f, &t.elts, value, range),
            Expr::List(t) => self.unpack(f, &t.elts, value, range),
            Expr::Subscript(_) => self.assign_keep_origin(f, target, value, range),
            Expr::Starred(s) => self.assign(f, &s.value, value, range),
            _ => {}
        }
    }

    fn unpack(&self, f: &mut Frame, targets: &[Expr], value: Value, range: TextRange) {
        let items = value.iter_elements().ok().filter(|v| {
            v.len() == targets.len() && !targets.iter().any(|t| matches!(t, Expr::Starred(_)))
        });
        match items {
            Some(items) => {
                for (t, v) in targets.iter().zip(items) {
                    self.assign(f, t, v, range);
                }
            }
            None => {
                for t in targets {
                    self.assign(
                        f,
                        t,
                        Value::unknown("unpacked from a value that cannot be split statically"),
                        range,
                    );
                }
            }
        }
    }

    /// Assign to a name or a subscript chain rooted at a name (`D["a"]["b"] = v`), keeping the
    /// origin of the root binding when it exists (the finding points where the setting was
    /// introduced, or at this statement if it is new).
    fn assign_keep_origin(&self, f: &mut Frame, target: &Expr, value: Value, range: TextRange) {
        let mut path: Vec<Value> = Vec::new();
        let mut cur = target;
        loop {
            match cur {
                Expr::Name(n) => {
                    let name = n.id.as_str();
                    let existing = f.scope.names.get(name).cloned();
                    let (root_value, origin, mut env) = match existing {
                        Some(b) => (b.value, b.origin, b.env),
                        None => (self.lookup(f, name), self.origin(f, range), Vec::new()),
                    };
                    if path.is_empty() {
                        env.clear();
                    }
                    merge_deps(&mut env, &f.current_deps());
                    let origin = if path.is_empty() {
                        self.origin(f, range)
                    } else {
                        origin
                    };
                    let new_value = if path.is_empty() {
                        value
                    } else {
                        path.reverse();
                        set_path(root_value, &path, value)
                    };
                    f.scope.names.insert(
                        name.to_string(),
                        Binding {
                            value: new_value,
                            origin,
                            env,
                        },
                    );
                    return;
                }
                Expr::Subscript(sub) => {
                    path.push(self.eval(f, &sub.slice));
                    cur = &sub.value;
                }
                _ => return,
            }
        }
    }

    fn lookup(&self, f: &mut Frame, name: &str) -> Value {
        if let Some(b) = f.scope.names.get(name) {
            let (value, env) = (b.value.clone(), b.env.clone());
            merge_deps(&mut f.reads, &env);
            return value;
        }
        match name {
            "__file__" => return Value::Str(f.abs_path.clone()),
            "__name__" => return Value::Str(f.module_name.clone()),
            _ => {}
        }
        if let Some(u) = &f.scope.opaque {
            return Value::Unknown(u.clone());
        }
        if BUILTINS.contains(&name) {
            return Value::Object {
                qualname: format!("builtins.{name}"),
                callable: true,
            };
        }
        Value::unknown(format!("name `{name}` is not defined at this point"))
    }

    fn eval(&self, f: &mut Frame, e: &Expr) -> Value {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.eval_inner(f, e))
    }

    fn eval_inner(&self, f: &mut Frame, e: &Expr) -> Value {
        match e {
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::BytesLiteral(b) => Value::Bytes(b.value.bytes().collect()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i
                    .to_string()
                    .parse::<i128>()
                    .map_or_else(|_| Value::unknown("integer too large"), Value::Int),
                Number::Float(x) => Value::Float(*x),
                Number::Complex { .. } => Value::unknown("complex number"),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::EllipsisLiteral(_) => Value::Object {
                qualname: "builtins.Ellipsis".into(),
                callable: false,
            },
            Expr::FString(fs) => self.eval_fstring(f, fs),
            Expr::Name(n) => self.lookup(f, n.id.as_str()),
            Expr::List(l) => self
                .eval_elements(f, &l.elts)
                .map_or_else(Value::Unknown, Value::List),
            Expr::Tuple(t) => self
                .eval_elements(f, &t.elts)
                .map_or_else(Value::Unknown, Value::Tuple),
            Expr::Set(s) => self
                .eval_elements(f, &s.elts)
                .map_or_else(Value::Unknown, |v| Value::Set(dedup(v))),
            Expr::Dict(d) => {
                let mut items: Vec<(Value, Value)> = Vec::new();
                for item in &d.items {
                    match &item.key {
                        Some(k) => {
                            let k = self.eval(f, k);
                            let v = self.eval(f, &item.value);
                            dict_insert(&mut items, k, v);
                        }
                        None => match self.eval(f, &item.value) {
                            Value::Dict(more) => {
                                for (k, v) in more {
                                    dict_insert(&mut items, k, v);
                                }
                            }
                            other => {
                                let u = other
                                    .as_unknown()
                                    .cloned()
                                    .unwrap_or_else(|| Unknown::new("`**` of a non-dict"));
                                items.push((Value::Unknown(u.clone()), Value::Unknown(u)));
                            }
                        },
                    }
                }
                Value::Dict(items)
            }
            Expr::BinOp(b) => {
                let l = self.eval(f, &b.left);
                let r = self.eval(f, &b.right);
                binop(&l, b.op, &r)
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(f, &u.operand);
                match (u.op, &v) {
                    (ast::UnaryOp::Not, _) => {
                        v.truthy().map_or_else(Value::Unknown, |b| Value::Bool(!b))
                    }
                    (ast::UnaryOp::USub, Value::Int(i)) => Value::Int(-i),
                    (ast::UnaryOp::USub, Value::Bool(b)) => Value::Int(-i128::from(*b)),
                    (ast::UnaryOp::USub, Value::Float(x)) => Value::Float(-x),
                    (ast::UnaryOp::UAdd, Value::Int(_) | Value::Float(_)) => v,
                    (ast::UnaryOp::UAdd, Value::Bool(b)) => Value::Int(i128::from(*b)),
                    (ast::UnaryOp::Invert, Value::Int(i)) => Value::Int(!i),
                    (_, Value::Unknown(_)) => v,
                    _ => Value::unknown("unsupported unary operation"),
                }
            }
            Expr::BoolOp(b) => {
                let mut last = Value::None;
                for (i, operand) in b.values.iter().enumerate() {
                    last = self.eval(f, operand);
                    if i + 1 == b.values.len() {
                        break;
                    }
                    match last.truthy() {
                        Ok(t) => {
                            let stop = match b.op {
                                ast::BoolOp::And => !t,
                                ast::BoolOp::Or => t,
                            };
                            if stop {
                                return last;
                            }
                        }
                        Err(u) => return Value::Unknown(u),
                    }
                }
                last
            }
            Expr::Compare(c) => {
                let mut left = self.eval(f, &c.left);
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    let right = self.eval(f, right);
                    if matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn)
                        && matches!(&right, Value::Object { qualname, .. } if qualname == "os.environ")
                    {
                        let read = readers::os_contains(&left, self.environment);
                        f.record(read.dep);
                        match read.value {
                            Value::Bool(b) if b == (*op == ast::CmpOp::In) => {}
                            Value::Bool(_) => return Value::Bool(false),
                            other => return other,
                        }
                        left = right;
                        continue;
                    }
                    match compare(&left, *op, &right) {
                        Ok(true) => {}
                        Ok(false) => return Value::Bool(false),
                        Err(u) => return Value::Unknown(u),
                    }
                    left = right;
                }
                Value::Bool(true)
            }
            Expr::If(i) => match self.eval(f, &i.test).truthy() {
                Ok(true) => self.eval(f, &i.body),
                Ok(false) => self.eval(f, &i.orelse),
                Err(u) => Value::Unknown(u),
            },
            Expr::Attribute(a) => {
                let base = self.eval(f, &a.value);
                if let Value::Object { qualname, .. } = &base
                    && let Some(idx) = qualname
                        .strip_prefix(PYD_INSTANCE)
                        .and_then(|i| i.parse::<usize>().ok())
                {
                    let class = self.pydantic.borrow().get(idx).cloned().unwrap_or_default();
                    let read =
                        readers::pydantic_field(&class, a.attr.id.as_str(), self.environment);
                    f.record(read.dep);
                    return read.value;
                }
                // `import proj.settings.base as b; b.DEBUG`: read the project module's value.
                if let Value::Object { qualname, .. } = &base
                    && let Some(idx) = self.project.module(qualname)
                    && idx != f.file
                {
                    let scope = self.module(idx);
                    let attr = a.attr.id.as_str();
                    let sub = format!("{qualname}.{attr}");
                    return match scope.names.get(attr) {
                        Some(b) => b.value.clone(),
                        None if self.project.module(&sub).is_some() => Value::Object {
                            qualname: sub,
                            callable: false,
                        },
                        None => match &scope.opaque {
                            Some(u) => Value::Unknown(u.clone()),
                            None => {
                                Value::unknown(format!("module {qualname} has no attribute {attr}"))
                            }
                        },
                    };
                }
                attribute(&base, a.attr.id.as_str())
            }
            Expr::Subscript(s) => {
                let base = self.eval(f, &s.value);
                if let Expr::Slice(sl) = &*s.slice {
                    let lower = sl.lower.as_ref().map(|x| self.eval(f, x));
                    let upper = sl.upper.as_ref().map(|x| self.eval(f, x));
                    let step = sl.step.as_ref().map(|x| self.eval(f, x));
                    return slice(&base, lower, upper, step);
                }
                let key = self.eval(f, &s.slice);
                if matches!(&base, Value::Object { qualname, .. } if qualname == "os.environ") {
                    let read = readers::os_item(&key, self.environment);
                    f.record(read.dep);
                    return read.value;
                }
                subscript(&base, &key)
            }
            Expr::Call(c) => self.eval_call(f, c),
            Expr::Named(n) => {
                let v = self.eval(f, &n.value);
                if let Expr::Name(name) = &*n.target {
                    self.bind(f, name.id.as_str(), v.clone(), n.range);
                }
                v
            }
            Expr::Lambda(_) => Value::Object {
                qualname: format!("{}.<lambda>", f.module_name),
                callable: true,
            },
            Expr::Starred(_) => Value::unknown("starred expression outside a display"),
            _ => Value::unknown(format!(
                "`{}` cannot be evaluated statically",
                f_slice(self, f, e.range())
            )),
        }
    }

    fn eval_elements(&self, f: &mut Frame, elts: &[Expr]) -> Result<Vec<Value>, Unknown> {
        let mut out = Vec::with_capacity(elts.len());
        for e in elts {
            if let Expr::Starred(s) = e {
                match self.eval(f, &s.value).iter_elements() {
                    Ok(items) => out.extend(items),
                    Err(u) => out.push(Value::Unknown(u)),
                }
            } else {
                out.push(self.eval(f, e));
            }
            if out.len() > MAX_LEN {
                return Err(Unknown::new("container too large"));
            }
        }
        Ok(out)
    }

    fn eval_fstring(&self, f: &mut Frame, fs: &ast::ExprFString) -> Value {
        let mut out = String::new();
        for part in fs.value.iter() {
            match part {
                ast::FStringPart::Literal(lit) => out.push_str(&lit.value),
                ast::FStringPart::FString(fstr) => {
                    for element in &fstr.elements {
                        match element {
                            ast::InterpolatedStringElement::Literal(lit) => {
                                out.push_str(&lit.value)
                            }
                            ast::InterpolatedStringElement::Interpolation(x) => {
                                if x.format_spec.is_some() || x.debug_text.is_some() {
                                    return Value::unknown("f-string with a format spec");
                                }
                                let v = self.eval(f, &x.expression);
                                let text = match x.conversion {
                                    ast::ConversionFlag::Repr => Ok(v.repr()),
                                    _ => py_str(&v),
                                };
                                match text {
                                    Ok(t) => out.push_str(&t),
                                    Err(u) => return Value::Unknown(u),
                                }
                            }
                        }
                    }
                }
            }
        }
        Value::Str(out)
    }

    fn eval_call(&self, f: &mut Frame, c: &ast::ExprCall) -> Value {
        let callee = self.peek_name(f, &c.func);
        if let Value::Object { qualname, .. } = &callee {
            match qualname.as_str() {
                SPLIT_INCLUDE => return self.split_include(f, c),
                SPLIT_OPTIONAL => {
                    let arg = c.arguments.args.first().map(|a| self.eval(f, a));
                    return match arg {
                        Some(Value::Str(p)) => Value::Object {
                            qualname: format!("{SPLIT_OPTIONAL_MARK}{p}"),
                            callable: false,
                        },
                        Some(Value::None) => Value::Object {
                            qualname: SPLIT_OPTIONAL_MARK.to_string(),
                            callable: false,
                        },
                        Some(Value::Unknown(u)) => Value::Unknown(u),
                        _ => Value::unknown("optional() of a value that is not a string"),
                    };
                }
                _ => {}
            }
        }
        if let Some(why) = self.dynamic_export(f, c) {
            let u = Unknown::new(why);
            f.scope.opaque.get_or_insert(u.clone());
            return Value::Unknown(u);
        }
        let func = self.eval(f, &c.func);
        let mut args = Vec::new();
        for a in c.arguments.args.iter() {
            if let Expr::Starred(s) = a {
                match self.eval(f, &s.value).iter_elements() {
                    Ok(items) => args.extend(items),
                    Err(u) => return Value::Unknown(u),
                }
            } else {
                args.push(self.eval(f, a));
            }
        }
        let mut kwargs: Vec<(String, Value)> = Vec::new();
        for k in c.arguments.keywords.iter() {
            match &k.arg {
                Some(name) => kwargs.push((name.id.to_string(), self.eval(f, &k.value))),
                None => return Value::unknown("call with `**kwargs`"),
            }
        }
        // Method calls on known values: `"-".join(...)`, `BASE_DIR.resolve()`, `d.get(k)`.
        if let Expr::Attribute(a) = &*c.func {
            let receiver = self.eval(f, &a.value);
            if !matches!(receiver, Value::Object { .. } | Value::Unknown(_)) {
                return call_method(&receiver, a.attr.id.as_str(), &args, &kwargs);
            }
            if let Value::Unknown(u) = receiver {
                return Value::Unknown(u);
            }
        }
        if let Value::Object { qualname, .. } = &func {
            if let Some(idx) = qualname.strip_prefix(PYD_CLASS) {
                // Constructor arguments override the environment; not followed.
                if !args.is_empty() || !kwargs.is_empty() {
                    return Value::unknown("BaseSettings created with explicit arguments");
                }
                return Value::Object {
                    qualname: format!("{PYD_INSTANCE}{idx}"),
                    callable: false,
                };
            }
            if let Some(read) = readers::call(
                qualname,
                &args,
                &kwargs,
                self.environment,
                &self.schemes.borrow(),
            ) {
                f.record(read.dep);
                return read.value;
            }
            if let Some(obj) =
                readers::construct(qualname, &args, &kwargs, &mut self.schemes.borrow_mut())
            {
                return obj;
            }
        }
        if let Value::Object { qualname, .. } = &func
            && let Some(v) = self.call_project_function(f, c, qualname, &args, &kwargs)
        {
            return v;
        }
        match &func {
            Value::Object { qualname, .. } => call_function(qualname, &args, &kwargs),
            Value::Unknown(u) => Value::Unknown(u.clone()),
            other => Value::unknown(format!("'{}' object is not callable", other.type_name())),
        }
    }
}

impl<'p> Evaluator<'p> {
    /// A call through which the module's names may change in ways not followed: `exec` of other
    /// code, `runpy`, a call handed the module's namespace (`globals()`, `locals()`, `vars()`,
    /// `sys.modules[...]`, or `__name__`, as dynaconf's `DjangoDynaconf(__name__)` takes it), a
    /// method that copies values into the globals (`namespace.update_globals()`), or a project
    /// function whose body writes the module namespace.
    fn dynamic_export(&self, f: &mut Frame, c: &ast::ExprCall) -> Option<String> {
        let at = f.abs_path_line(self, c.range());
        let callee = f_slice(self, f, c.func.range());
        let tail = expr_tail_name(&c.func).unwrap_or("");
        if matches!(tail, "exec" | "execfile") && matches!(&*c.func, Expr::Name(_))
            || matches!(tail, "run_path" | "run_module") && callee.contains("runpy")
        {
            return Some(format!(
                "`{callee}` ({at}) runs other code in the module, which may set any setting"
            ));
        }
        if tail.to_ascii_lowercase().contains("globals") {
            return Some(format!(
                "`{callee}` ({at}) copies values into the module's globals, which may set any setting"
            ));
        }
        let logger = {
            let l = tail.to_ascii_lowercase();
            l.contains("logger") || callee.starts_with("logging.")
        };
        for a in c
            .arguments
            .args
            .iter()
            .chain(c.arguments.keywords.iter().map(|k| &k.value))
        {
            let handle = match a {
                Expr::Call(i) => {
                    matches!(&*i.func, Expr::Name(n) if matches!(n.id.as_str(), "locals" | "globals" | "vars"))
                        && i.arguments.args.is_empty()
                }
                Expr::Name(n) => n.id.as_str() == "__name__" && !logger,
                Expr::Subscript(sub) => f_slice(self, f, sub.value.range()) == "sys.modules",
                _ => false,
            };
            if handle {
                return Some(format!(
                    "the module namespace is handed to `{callee}` ({at}), which may set any setting"
                ));
            }
        }
        if let Value::Object { qualname, .. } = self.peek_name(f, &c.func)
            && let Some((file, def)) = self.project_function(f, &qualname)
            && let Some(p) = &self.project.python[file].parsed
            && touches_namespace(p.slice(def.range()))
        {
            return Some(format!(
                "`{callee}` ({at}) calls a project function that writes the module's names, which may set any setting"
            ));
        }
        None
    }

    /// django-split-settings' `include('components/*.py', optional('local.py'))`: each file
    /// matching a pattern (relative to the including file's folder, in name order) runs in this
    /// module's namespace. A required pattern that matches nothing raises `OSError` in Python;
    /// an optional one that matches nothing is a file made at deployment, whose settings are
    /// not known here.
    fn split_include(&self, f: &mut Frame, c: &ast::ExprCall) -> Value {
        let at = f.abs_path_line(self, c.range());
        let mut patterns: Vec<(String, bool)> = Vec::new();
        for a in c.arguments.args.iter() {
            match self.eval(f, a) {
                Value::Str(p) => patterns.push((p, false)),
                Value::Object { qualname, .. } if qualname.starts_with(SPLIT_OPTIONAL_MARK) => {
                    let p = &qualname[SPLIT_OPTIONAL_MARK.len()..];
                    if !p.is_empty() {
                        patterns.push((p.to_string(), true));
                    }
                }
                other => {
                    let u = other.as_unknown().cloned().unwrap_or_else(|| {
                        Unknown::new(format!("include() of a value not followed ({at})"))
                    });
                    f.scope.opaque.get_or_insert(u.clone());
                    return Value::Unknown(u);
                }
            }
        }
        if self.call_depth.get() >= MAX_CALL_DEPTH {
            let u = Unknown::new(format!("include() nested too deeply ({at})"));
            f.scope.opaque.get_or_insert(u.clone());
            return Value::Unknown(u);
        }
        let here = &self.project.python[f.file].rel;
        let dir = here.rsplit_once('/').map_or("", |(d, _)| d);
        for (pattern, optional) in patterns {
            let rel = normalize_path(&join_path(dir, &pattern));
            let matcher = globset::GlobBuilder::new(&rel)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher());
            let Ok(matcher) = matcher else {
                let u = Unknown::new(format!(
                    "include() pattern `{pattern}` not understood ({at})"
                ));
                f.scope.opaque.get_or_insert(u.clone());
                return Value::Unknown(u);
            };
            let mut files: Vec<usize> = self
                .project
                .python
                .iter()
                .enumerate()
                .filter(|(_, p)| matcher.is_match(&p.rel))
                .map(|(i, _)| i)
                .collect();
            files.sort_by(|a, b| {
                self.project.python[*a]
                    .rel
                    .cmp(&self.project.python[*b].rel)
            });
            if files.is_empty() {
                let u = Unknown::new(if optional {
                    format!(
                        "include(optional(\"{pattern}\")) ({at}) names a file that is not in the project (made at deployment?), which may set any setting"
                    )
                } else {
                    format!(
                        "include(\"{pattern}\") ({at}) names no file of the project; Python raises OSError"
                    )
                });
                f.scope.opaque.get_or_insert(u.clone());
                if !optional {
                    return Value::Unknown(u);
                }
                continue;
            }
            for file in files {
                if f.included.contains(&file) || file == f.file {
                    continue;
                }
                f.included.push(file);
                let Some(parsed) = self.project.python[file].parsed.as_ref() else {
                    continue;
                };
                let saved = f.file;
                f.file = file;
                self.call_depth.set(self.call_depth.get() + 1);
                let flow = self.exec_body(f, &parsed.module.body);
                self.call_depth.set(self.call_depth.get() - 1);
                f.file = saved;
                if let Flow::Raise(_) = flow {
                    let u = Unknown::new(format!(
                        "{} raises an exception when included ({at})",
                        self.project.python[file].rel
                    ));
                    f.scope.opaque.get_or_insert(u.clone());
                    return Value::Unknown(u);
                }
            }
        }
        Value::None
    }

    /// The value of a plain name or dotted name without recording reads.
    fn peek_name(&self, f: &Frame, e: &Expr) -> Value {
        match e {
            Expr::Name(n) => f
                .scope
                .names
                .get(n.id.as_str())
                .map_or(Value::None, |b| b.value.clone()),
            _ => Value::None,
        }
    }

    /// A function defined at the top level of a project module, by qualified name.
    fn project_function(
        &self,
        f: &Frame,
        qualname: &str,
    ) -> Option<(usize, &'p ast::StmtFunctionDef)> {
        let (module, name) = match qualname.rsplit_once('.') {
            Some((m, n)) => (m, n),
            None => ("", qualname),
        };
        let file = if module == f.module_name {
            f.file
        } else {
            self.project
                .module_from(module, f.file)
                .or_else(|| self.project.module(module))?
        };
        let parsed = self.project.python.get(file)?.parsed.as_ref()?;
        parsed.module.body.iter().rev().find_map(|s| match s {
            Stmt::FunctionDef(d) if d.name.id.as_str() == name => Some((file, d)),
            _ => None,
        })
    }

    /// Evaluate a small, pure project function called from settings (`env_flag("DEBUG",
    /// "True")`): parameters bound, then assignments, `if` with a decidable test and `return`.
    /// `None` when the callee is not a project function; an unknown value naming the call when
    /// the body does anything else.
    fn call_project_function(
        &self,
        f: &mut Frame,
        c: &ast::ExprCall,
        qualname: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Option<Value> {
        let (file, def) = self.project_function(f, qualname)?;
        let at = f.abs_path_line(self, c.range());
        let callee = f_slice(self, f, c.func.range());
        let give_up = |why: &str| {
            Value::unknown(format!(
                "the project function `{callee}` called at {at} could not be evaluated ({why})"
            ))
        };
        if def.is_async || !def.decorator_list.is_empty() {
            return Some(give_up("async or decorated"));
        }
        let p = &def.parameters;
        if p.vararg.is_some() || p.kwarg.is_some() {
            return Some(give_up("it takes *args or **kwargs"));
        }
        if self.call_depth.get() >= MAX_CALL_DEPTH {
            return Some(give_up("calls nested too deeply"));
        }
        let py = &self.project.python[file];
        let mut child = Frame {
            file,
            module_name: py.module_name.clone().unwrap_or_default(),
            package: py.package(),
            abs_path: if file == f.file {
                f.abs_path.clone()
            } else {
                std::path::absolute(&py.abs)
                    .unwrap_or_else(|_| py.abs.clone())
                    .to_string_lossy()
                    .into_owned()
            },
            scope: if file == f.file {
                f.scope.clone()
            } else {
                (*self.module(file)).clone()
            },
            reads: Vec::new(),
            cond: Vec::new(),
            raised: None,
            included: Vec::new(),
        };
        let positional: Vec<&ast::ParameterWithDefault> =
            p.posonlyargs.iter().chain(p.args.iter()).collect();
        if args.len() > positional.len() {
            return Some(give_up("too many arguments"));
        }
        for (name, _) in kwargs {
            let known = positional
                .iter()
                .copied()
                .chain(p.kwonlyargs.iter())
                .any(|a| a.parameter.name.id.as_str() == name);
            if !known {
                return Some(give_up("unexpected keyword argument"));
            }
        }
        let mut bound: Vec<(String, Value)> = Vec::new();
        for (i, a) in positional
            .iter()
            .copied()
            .chain(p.kwonlyargs.iter())
            .enumerate()
        {
            let name = a.parameter.name.id.as_str();
            let value = if i < positional.len() && i < args.len() {
                args[i].clone()
            } else if let Some((_, v)) = kwargs.iter().find(|(k, _)| k == name) {
                v.clone()
            } else if let Some(d) = &a.default {
                self.eval(&mut child, d)
            } else {
                return Some(give_up("a parameter has no value"));
            };
            bound.push((name.to_string(), value));
        }
        let range = def.range();
        for (name, value) in bound {
            self.bind(&mut child, &name, value, range);
        }
        self.call_depth.set(self.call_depth.get() + 1);
        let result = self.run_function_body(&mut child, &def.body);
        self.call_depth.set(self.call_depth.get() - 1);
        let mut deps = child.reads.clone();
        merge_deps(&mut deps, &child.cond);
        merge_deps(&mut f.reads, &deps);
        Some(match result {
            Ok(v) => v.unwrap_or(Value::None),
            Err(why) => give_up(&why),
        })
    }

    /// Run a function body; `Some` when it returned.
    fn run_function_body(&self, f: &mut Frame, body: &[Stmt]) -> Result<Option<Value>, String> {
        for (i, stmt) in body.iter().enumerate() {
            match stmt {
                Stmt::Expr(e) if i == 0 && matches!(&*e.value, Expr::StringLiteral(_)) => {}
                Stmt::Pass(_) => {}
                Stmt::Return(r) => {
                    let keep = std::mem::take(&mut f.reads);
                    let v = r.value.as_ref().map_or(Value::None, |e| self.eval(f, e));
                    merge_deps(&mut f.reads, &keep);
                    return Ok(Some(v));
                }
                Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_) => {
                    let keep = std::mem::take(&mut f.reads);
                    if let Flow::Raise(_) = self.exec(f, stmt) {
                        return Err("it raises".into());
                    }
                    merge_deps(&mut f.reads, &keep);
                }
                Stmt::If(s) => {
                    let mut branches: Vec<(Option<&Expr>, &[Stmt])> =
                        vec![(Some(&s.test), &s.body)];
                    for clause in &s.elif_else_clauses {
                        branches.push((clause.test.as_ref(), &clause.body));
                    }
                    for (test, body) in branches {
                        let keep = std::mem::take(&mut f.reads);
                        let taken = match test {
                            None => Ok(true),
                            Some(t) => self.eval(f, t).truthy(),
                        };
                        let reads = std::mem::replace(&mut f.reads, keep);
                        merge_deps(&mut f.cond, &reads);
                        match taken {
                            Ok(true) => {
                                if let Some(v) = self.run_function_body(f, body)? {
                                    return Ok(Some(v));
                                }
                                break;
                            }
                            Ok(false) => {}
                            Err(u) => return Err(u.short()),
                        }
                    }
                }
                _ => return Err("its body does more than assign, branch and return".into()),
            }
        }
        Ok(None)
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

const BUILTINS: &[&str] = &[
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

fn handler_catches(kind: Option<&Expr>, exc: Exception) -> bool {
    let Some(kind) = kind else { return true };
    let names: Vec<&str> = match kind {
        Expr::Tuple(t) => t.elts.iter().filter_map(expr_tail_name).collect(),
        other => expr_tail_name(other).into_iter().collect(),
    };
    names.iter().any(|n| match exc {
        Exception::ImportError => matches!(
            *n,
            "ImportError" | "ModuleNotFoundError" | "Exception" | "BaseException"
        ),
        Exception::Other => matches!(*n, "Exception" | "BaseException"),
    })
}

fn expr_tail_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.id.as_str()),
        _ => None,
    }
}

/// Names (with the range of the statement) that a statement list may bind or mutate.
fn written_names(body: &[Stmt], out: &mut Vec<(String, TextRange)>) {
    fn target_names(t: &Expr, range: TextRange, out: &mut Vec<(String, TextRange)>) {
        match t {
            Expr::Name(n) => out.push((n.id.to_string(), range)),
            Expr::Tuple(x) => x.elts.iter().for_each(|e| target_names(e, range, out)),
            Expr::List(x) => x.elts.iter().for_each(|e| target_names(e, range, out)),
            Expr::Starred(s) => target_names(&s.value, range, out),
            Expr::Subscript(s) => target_names(&s.value, range, out),
            Expr::Attribute(a) => target_names(&a.value, range, out),
            _ => {}
        }
    }
    for stmt in body {
        let r = stmt.range();
        match stmt {
            Stmt::Assign(s) => s.targets.iter().for_each(|t| target_names(t, r, out)),
            Stmt::AnnAssign(s) => target_names(&s.target, r, out),
            Stmt::AugAssign(s) => target_names(&s.target, r, out),
            Stmt::Expr(s) => {
                if let Expr::Call(c) = &*s.value {
                    if let Expr::Attribute(a) = &*c.func {
                        target_names(&a.value, r, out);
                    }
                    let passes_namespace = c.arguments.args.iter().any(|a| matches!(a, Expr::Call(i) if matches!(&*i.func, Expr::Name(n) if matches!(n.id.as_str(), "locals" | "globals" | "vars"))));
                    if passes_namespace {
                        out.push(("*".into(), r));
                    }
                }
            }
            Stmt::Import(s) => {
                for a in &s.names {
                    let local = a.asname.as_ref().map_or_else(
                        || a.name.id.split('.').next().unwrap_or("").to_string(),
                        |x| x.id.to_string(),
                    );
                    out.push((local, r));
                }
            }
            Stmt::ImportFrom(s) => {
                for a in &s.names {
                    let local = a
                        .asname
                        .as_ref()
                        .map_or_else(|| a.name.id.to_string(), |x| x.id.to_string());
                    out.push((local, r));
                }
            }
            Stmt::FunctionDef(s) => out.push((s.name.id.to_string(), r)),
            Stmt::ClassDef(s) => out.push((s.name.id.to_string(), r)),
            Stmt::For(s) => {
                target_names(&s.target, r, out);
                written_names(&s.body, out);
                written_names(&s.orelse, out);
            }
            Stmt::While(s) => {
                written_names(&s.body, out);
                written_names(&s.orelse, out);
            }
            Stmt::If(s) => {
                written_names(&s.body, out);
                for c in &s.elif_else_clauses {
                    written_names(&c.body, out);
                }
            }
            Stmt::With(s) => written_names(&s.body, out),
            Stmt::Try(s) => {
                written_names(&s.body, out);
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    written_names(&h.body, out);
                }
                written_names(&s.orelse, out);
                written_names(&s.finalbody, out);
            }
            Stmt::Match(s) => {
                for case in &s.cases {
                    written_names(&case.body, out);
                }
            }
            _ => {}
        }
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

fn binop(l: &Value, op: ast::Operator, r: &Value) -> Value {
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

fn join_path(base: &str, part: &str) -> String {
    if part.starts_with('/') {
        return part.to_string();
    }
    if base.is_empty() || base == "." {
        return part.to_string();
    }
    format!("{}/{}", base.trim_end_matches('/'), part)
}

/// Lexical normalisation (what `Path.resolve()` does for paths without symlinks).
fn normalize_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

fn parent_path(p: &str) -> String {
    let n = normalize_path(p);
    match n.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => n[..i].to_string(),
        None => ".".into(),
    }
}

fn percent_format(fmt: &str, args: &Value) -> Value {
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

fn compare(l: &Value, op: ast::CmpOp, r: &Value) -> Result<bool, Unknown> {
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
fn known_library_value(qualname: &str) -> Option<Value> {
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

fn attribute(base: &Value, attr: &str) -> Value {
    match base {
        Value::Object { qualname, .. } => {
            let q = format!("{qualname}.{attr}");
            known_library_value(&q).unwrap_or(Value::Object {
                qualname: q,
                callable: true,
            })
        }
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

fn subscript(base: &Value, key: &Value) -> Value {
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

fn slice(base: &Value, lower: Option<Value>, upper: Option<Value>, step: Option<Value>) -> Value {
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
fn mutate(receiver: Value, method: &str, args: &[Value], has_kwargs: bool) -> Value {
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
fn set_path(root: Value, path: &[Value], value: Value) -> Value {
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

fn str_arg(args: &[Value], i: usize) -> Option<&str> {
    match args.get(i) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

fn call_method(recv: &Value, method: &str, args: &[Value], kwargs: &[(String, Value)]) -> Value {
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
        (Value::Str(s), "format") => {
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

fn call_function(qualname: &str, args: &[Value], kwargs: &[(String, Value)]) -> Value {
    if let Some(u) = args
        .iter()
        .chain(kwargs.iter().map(|(_, v)| v))
        .find_map(Value::as_unknown)
    {
        return Value::Unknown(u.clone());
    }
    match qualname {
        "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" => {
            let mut out = String::new();
            for a in args {
                match py_str(a) {
                    Ok(s) => out = join_path(&out, &s),
                    Err(u) => return Value::Unknown(u),
                }
            }
            Value::Path(if out.is_empty() { ".".into() } else { out })
        }
        "os.path.join" => {
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
        "os.path.dirname" => args.first().map_or_else(
            || Value::unknown("dirname()"),
            |a| match py_str(a) {
                Ok(s) => Value::Str(match s.rfind('/') {
                    Some(0) => "/".into(),
                    Some(i) => s[..i].trim_end_matches('/').to_string(),
                    None => String::new(),
                }),
                Err(u) => Value::Unknown(u),
            },
        ),
        "os.path.basename" => args.first().map_or_else(
            || Value::unknown("basename()"),
            |a| match py_str(a) {
                Ok(s) => Value::Str(s.rsplit('/').next().unwrap_or("").to_string()),
                Err(u) => Value::Unknown(u),
            },
        ),
        "os.path.abspath" | "os.path.realpath" | "os.path.normpath" => args.first().map_or_else(
            || Value::unknown("path()"),
            |a| match py_str(a) {
                Ok(s) => Value::Str(normalize_path(&s)),
                Err(u) => Value::Unknown(u),
            },
        ),
        "builtins.str" => match args.first() {
            None => Value::Str(String::new()),
            Some(v) => py_str(v).map_or_else(Value::Unknown, Value::Str),
        },
        "builtins.bool" => match args.first() {
            None => Value::Bool(false),
            Some(v) => v.truthy().map_or_else(Value::Unknown, Value::Bool),
        },
        "builtins.int" => match args.first() {
            None => Value::Int(0),
            Some(Value::Str(s)) => s.trim().replace('_', "").parse::<i128>().map_or_else(
                |_| Value::unknown("int() of a non-numeric string (ValueError)"),
                Value::Int,
            ),
            Some(Value::Float(x)) => Value::Int(x.trunc() as i128),
            Some(v) => as_index(v).map_or_else(|| Value::unknown("int() argument"), Value::Int),
        },
        "builtins.float" => match args.first() {
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
        },
        "builtins.list" | "builtins.tuple" | "builtins.set" | "builtins.frozenset"
        | "builtins.sorted" => {
            let items = match args.first() {
                None => Ok(Vec::new()),
                Some(v) => v.iter_elements(),
            };
            match items {
                Ok(items) => match qualname {
                    "builtins.list" => Value::List(items),
                    "builtins.tuple" => Value::Tuple(items),
                    "builtins.sorted" => {
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
                    _ => Value::Set(dedup(items)),
                },
                Err(u) => Value::Unknown(u),
            }
        }
        "builtins.dict" => {
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
        "builtins.len" => match args.first().map(|v| v.iter_elements()) {
            Some(Ok(items)) => Value::Int(items.len() as i128),
            Some(Err(u)) => Value::Unknown(u),
            None => Value::unknown("len()"),
        },
        _ => Value::unknown(format!("result of calling `{qualname}()`")),
    }
}

#[cfg(test)]
mod tests;
