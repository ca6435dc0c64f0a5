//! The statement runner: a module's (or a small function's) statements in order, with
//! branches joined, `try`/`except` followed, imports resolved across project modules and
//! assignments to names, attributes, items and unpacked targets.

use super::*;

impl<'p> Evaluator<'p> {
    pub(super) fn exec_body(&self, f: &mut Frame, body: &[Stmt]) -> Flow {
        for stmt in body {
            if let Flow::Raise(e) =
                stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.exec(f, stmt))
            {
                return Flow::Raise(e);
            }
        }
        Flow::Normal
    }

    pub(super) fn origin(&self, f: &Frame, range: TextRange) -> Origin {
        Origin {
            file: f.file,
            range,
        }
    }

    pub(super) fn bind(&self, f: &mut Frame, name: &str, value: Value, range: TextRange) {
        let origin = self.origin(f, range);
        let env = f.current_deps();
        f.scope
            .names
            .insert(name.to_string(), Binding { value, origin, env });
    }

    pub(super) fn exec(&self, f: &mut Frame, stmt: &Stmt) -> Flow {
        f.reads.clear();
        match stmt {
            Stmt::Assign(s) if self.writes_namespace_by_subscript(f, s) => {
                self.namespace_written_by_subscript(f, s)
            }
            Stmt::Assign(s) => self.exec_assign(f, s),
            Stmt::AnnAssign(s) => self.exec_ann_assign(f, s),
            Stmt::AugAssign(s) => self.exec_aug_assign(f, s),
            Stmt::Expr(s) => self.exec_expr_stmt(f, &s.value),
            Stmt::Import(s) => self.exec_import(f, s),
            Stmt::ImportFrom(s) => return self.exec_import_from(f, s),
            Stmt::FunctionDef(s) => self.exec_function_def(f, s),
            Stmt::ClassDef(s) => self.exec_class_def(f, s),
            Stmt::If(s) => return self.exec_if(f, s),
            Stmt::Try(s) => return self.exec_try(f, s),
            Stmt::With(s) => return self.exec_body(f, &s.body),
            Stmt::For(_) | Stmt::While(_) | Stmt::Match(_)
                if touches_namespace(&f_slice_full(self, f, stmt.range())) =>
            {
                self.namespace_written_by_loop(f, stmt)
            }
            Stmt::For(_) | Stmt::While(_) | Stmt::Match(_) => self.exec_loop(f, stmt),
            Stmt::Delete(s) => self.exec_delete(f, s),
            Stmt::Raise(_) => {
                f.raised = Some((stmt.range(), f.cond.clone()));
                return Flow::Raise(Exception::Other);
            }
            _ => {}
        }
        Flow::Normal
    }

    /// Whether an assignment writes the module's names through a subscript
    /// (`globals()[name] = ...`).
    fn writes_namespace_by_subscript(&self, f: &Frame, s: &ast::StmtAssign) -> bool {
        s.targets.iter().any(|t| {
            matches!(t, Expr::Subscript(_)) && touches_namespace(&f_slice_full(self, f, t.range()))
        })
    }

    /// The module's names are written through a subscript: any setting may be set, so the
    /// module becomes opaque.
    fn namespace_written_by_subscript(&self, f: &mut Frame, s: &ast::StmtAssign) {
        f.scope.opaque.get_or_insert(Unknown::new(format!(
            "the module's names are written through a subscript ({}), which may set any setting",
            f.abs_path_line(self, s.range)
        )));
    }

    /// `a = b = value`: the value evaluated once, then bound to each target in order.
    fn exec_assign(&self, f: &mut Frame, s: &ast::StmtAssign) {
        let value = self.eval(f, &s.value);
        for target in &s.targets {
            self.assign(f, target, value.clone(), s.range);
        }
    }

    /// `name: T = value` (an annotation without a value binds nothing).
    fn exec_ann_assign(&self, f: &mut Frame, s: &ast::StmtAnnAssign) {
        if let Some(v) = &s.value {
            let value = self.eval(f, v);
            self.assign(f, &s.target, value, s.range);
        }
    }

    /// `target op= value`, keeping where the target was first set.
    fn exec_aug_assign(&self, f: &mut Frame, s: &ast::StmtAugAssign) {
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

    /// `import a.b [as c]`: binds the alias to the module, or the first part of the dotted
    /// name to its top-level package.
    fn exec_import(&self, f: &mut Frame, s: &ast::StmtImport) {
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

    /// `def name(...)`: binds the name to a callable of this module.
    fn exec_function_def(&self, f: &mut Frame, s: &ast::StmtFunctionDef) {
        let value = Value::Object {
            qualname: qualify(&f.module_name, s.name.id.as_str()),
            callable: true,
        };
        self.bind(f, s.name.id.as_str(), value, s.range);
    }

    /// `class Name(...)`: a pydantic settings class is recorded, any other class is a callable
    /// of this module; django-configurations classes make the module opaque.
    fn exec_class_def(&self, f: &mut Frame, s: &ast::StmtClassDef) {
        // django-configurations: the settings are the attributes of the class that
        // DJANGO_CONFIGURATION names, copied into the module when Django imports it.
        if self.is_configuration_class(f, s) {
            f.scope.opaque.get_or_insert(Unknown::new(format!(
                "the settings are attributes of django-configurations classes ({}), chosen by DJANGO_CONFIGURATION; not followed",
                f.abs_path_line(self, s.range)
            )));
        }
        let value = match self.pydantic_class(f, s) {
            Some(idx) => Value::Pydantic {
                class: idx,
                instance: false,
            },
            None => Value::Object {
                qualname: qualify(&f.module_name, s.name.id.as_str()),
                callable: true,
            },
        };
        self.bind(f, s.name.id.as_str(), value, s.range);
    }

    /// Whether a class derives from a django-configurations class (`configurations.*`, or
    /// `configurations.Configuration` written out).
    fn is_configuration_class(&self, f: &Frame, s: &ast::StmtClassDef) -> bool {
        s.arguments.as_ref().is_some_and(|a| {
            a.args.iter().any(|b| {
                matches!(self.peek_name(f, b), Value::Object { qualname, .. } if qualname.starts_with("configurations."))
                    || matches!(b, Expr::Attribute(at) if at.attr.id.as_str() == "Configuration" && matches!(&*at.value, Expr::Name(n) if n.id.as_str() == "configurations"))
            })
        })
    }

    /// A loop writes the module's names: any setting may be set, so the module becomes opaque.
    fn namespace_written_by_loop(&self, f: &mut Frame, stmt: &Stmt) {
        f.scope.opaque.get_or_insert(Unknown::new(format!(
            "a loop writes the module's names ({}), which may set any setting",
            f.abs_path_line(self, stmt.range())
        )));
    }

    /// A loop or match statement is not run: what it assigns becomes unknown.
    fn exec_loop(&self, f: &mut Frame, stmt: &Stmt) {
        let line_reason = format!(
            "assigned inside a loop or match statement ({})",
            f.abs_path_line(self, stmt.range())
        );
        self.forget_written(f, std::slice::from_ref(stmt), &line_reason);
    }

    /// `del name`: the name is unbound (other targets are left alone).
    fn exec_delete(&self, f: &mut Frame, s: &ast::StmtDelete) {
        for t in &s.targets {
            if let Expr::Name(n) = t {
                f.scope.names.remove(n.id.as_str());
            }
        }
    }

    /// A `pydantic_settings.BaseSettings` subclass: record its prefix and fields.
    pub(super) fn pydantic_class(&self, f: &mut Frame, s: &ast::StmtClassDef) -> Option<usize> {
        let bases = s.arguments.as_ref()?;
        let is_settings = bases.args.iter().any(|b| match self.eval(f, b) {
            Value::Object { qualname, .. } => readers::PYDANTIC_BASES.contains(&qualname.as_str()),
            Value::Pydantic { instance, .. } => !instance,
            _ => false,
        });
        if !is_settings {
            return None;
        }
        let mut class = readers::PydClass::default();
        // Fields inherited from a settings base class of the project.
        for b in bases.args.iter() {
            if let Value::Pydantic {
                class: i,
                instance: false,
            } = self.eval(f, b)
                && let Some(parent) = self.pydantic.borrow().get(i).cloned()
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

    pub(super) fn exec_if(&self, f: &mut Frame, s: &ast::StmtIf) -> Flow {
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
    pub(super) fn exec_branches(
        &self,
        f: &mut Frame,
        branches: &[(Option<&Expr>, &[Stmt])],
    ) -> Flow {
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

    pub(super) fn exec_try(&self, f: &mut Frame, s: &ast::StmtTry) -> Flow {
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
    pub(super) fn forget_written(&self, f: &mut Frame, body: &[Stmt], reason: &str) {
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

    pub(super) fn exec_import_from(&self, f: &mut Frame, s: &ast::StmtImportFrom) -> Flow {
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
    pub(super) fn missing_star_import(&self, f: &mut Frame, s: &ast::StmtImportFrom) {
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
    pub(super) fn exec_expr_stmt(&self, f: &mut Frame, e: &Expr) {
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

    pub(super) fn assign(&self, f: &mut Frame, target: &Expr, value: Value, range: TextRange) {
        match target {
            Expr::Name(n) => self.bind(f, n.id.as_str(), value, range),
            Expr::Tuple(t) => self.unpack(f, &t.elts, value, range),
            Expr::List(t) => self.unpack(f, &t.elts, value, range),
            Expr::Subscript(_) => self.assign_keep_origin(f, target, value, range),
            Expr::Starred(s) => self.assign(f, &s.value, value, range),
            _ => {}
        }
    }

    pub(super) fn unpack(&self, f: &mut Frame, targets: &[Expr], value: Value, range: TextRange) {
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
    pub(super) fn assign_keep_origin(
        &self,
        f: &mut Frame,
        target: &Expr,
        value: Value,
        range: TextRange,
    ) {
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
}

pub(super) fn handler_catches(kind: Option<&Expr>, exc: Exception) -> bool {
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

pub(super) fn expr_tail_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.id.as_str()),
        _ => None,
    }
}

/// Names (with the range of the statement) that a statement list may bind or mutate.
pub(super) fn written_names(body: &[Stmt], out: &mut Vec<(String, TextRange)>) {
    pub(super) fn target_names(t: &Expr, range: TextRange, out: &mut Vec<(String, TextRange)>) {
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
