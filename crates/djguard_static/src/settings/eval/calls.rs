//! Calls the evaluator models beyond built-ins: exports it cannot follow (`exec`, `globals()`
//! handed to a call), django-split-settings' `include()`, and small pure project functions
//! (parameters bound, body run with the statement runner).

use super::*;

impl<'p> Evaluator<'p> {
    /// A call through which the module's names may change in ways not followed: `exec` of other
    /// code, `runpy`, a call handed the module's namespace (`globals()`, `locals()`, `vars()`,
    /// `sys.modules[...]`, or `__name__`, as dynaconf's `DjangoDynaconf(__name__)` takes it), a
    /// method that copies values into the globals (`namespace.update_globals()`), or a project
    /// function whose body writes the module namespace.
    pub(super) fn dynamic_export(&self, f: &mut Frame, c: &ast::ExprCall) -> Option<String> {
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
    pub(super) fn split_include(&self, f: &mut Frame, c: &ast::ExprCall) -> Value {
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
    pub(super) fn peek_name(&self, f: &Frame, e: &Expr) -> Value {
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
    pub(super) fn project_function(
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
    pub(super) fn call_project_function(
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
    pub(super) fn run_function_body(
        &self,
        f: &mut Frame,
        body: &[Stmt],
    ) -> Result<Option<Value>, String> {
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
