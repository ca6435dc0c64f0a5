//! The expression evaluator: names, literals, displays, operators, f-strings, subscripts and
//! calls, each to a `Value` (or `Value::Unknown` with the reason).

use super::*;

impl<'p> Evaluator<'p> {
    pub(super) fn lookup(&self, f: &mut Frame, name: &str) -> Value {
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

    pub(super) fn eval(&self, f: &mut Frame, e: &Expr) -> Value {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.eval_inner(f, e))
    }

    pub(super) fn eval_inner(&self, f: &mut Frame, e: &Expr) -> Value {
        match e {
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::BytesLiteral(b) => Value::Bytes(b.value.bytes().collect()),
            Expr::NumberLiteral(n) => number(&n.value),
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
            Expr::Dict(d) => self.eval_dict(f, d),
            Expr::BinOp(b) => self.eval_binop(f, b),
            Expr::UnaryOp(u) => self.eval_unaryop(f, u),
            Expr::BoolOp(b) => self.eval_boolop(f, b),
            Expr::Compare(c) => self.eval_compare(f, c),
            Expr::If(i) => self.eval_if_exp(f, i),
            Expr::Attribute(a) => self.eval_attribute(f, a),
            Expr::Subscript(s) => self.eval_subscript(f, s),
            Expr::Call(c) => self.eval_call(f, c),
            Expr::Named(n) => self.eval_named(f, n),
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

    /// A dict display: keys and values in order, `**other` merged in; a later key replaces
    /// an earlier equal one.
    fn eval_dict(&self, f: &mut Frame, d: &ast::ExprDict) -> Value {
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

    /// `left op right`, the left operand evaluated first.
    fn eval_binop(&self, f: &mut Frame, b: &ast::ExprBinOp) -> Value {
        let l = self.eval(f, &b.left);
        let r = self.eval(f, &b.right);
        binop(&l, b.op, &r)
    }

    /// `not x`, `-x`, `+x` and `~x`.
    fn eval_unaryop(&self, f: &mut Frame, u: &ast::ExprUnaryOp) -> Value {
        let v = self.eval(f, &u.operand);
        match (u.op, &v) {
            (ast::UnaryOp::Not, _) => v.truthy().map_or_else(Value::Unknown, |b| Value::Bool(!b)),
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

    /// `a and b`, `a or b`: short-circuits like Python, the operand that decided is the value.
    fn eval_boolop(&self, f: &mut Frame, b: &ast::ExprBoolOp) -> Value {
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

    /// A comparison chain (`a < b < c`), stopping at the first false link; `"X" in os.environ`
    /// reads the environment.
    fn eval_compare(&self, f: &mut Frame, c: &ast::ExprCompare) -> Value {
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

    /// `body if test else orelse`: only the branch taken is evaluated.
    fn eval_if_exp(&self, f: &mut Frame, i: &ast::ExprIf) -> Value {
        match self.eval(f, &i.test).truthy() {
            Ok(true) => self.eval(f, &i.body),
            Ok(false) => self.eval(f, &i.orelse),
            Err(u) => Value::Unknown(u),
        }
    }

    /// `base.attr`: a pydantic settings field, an attribute of another project module, or
    /// an attribute of a value.
    fn eval_attribute(&self, f: &mut Frame, a: &ast::ExprAttribute) -> Value {
        let base = self.eval(f, &a.value);
        if let Value::Pydantic {
            class: idx,
            instance: true,
        } = base
        {
            let class = self.pydantic.borrow().get(idx).cloned().unwrap_or_default();
            let read = readers::pydantic_field(&class, a.attr.id.as_str(), self.environment);
            f.record(read.dep);
            return read.value;
        }
        // `import proj.settings.base as b; b.DEBUG`: read the project module's value.
        if let Value::Object { qualname, .. } = &base
            && let Some(idx) = self.project.module(qualname)
            && idx != f.file
        {
            return self.module_attribute(idx, qualname, a.attr.id.as_str());
        }
        attribute(&base, a.attr.id.as_str())
    }

    /// An attribute of another project module (module `idx`, named `qualname`): its value, a
    /// submodule, or unknown.
    fn module_attribute(&self, idx: usize, qualname: &str, attr: &str) -> Value {
        let scope = self.module(idx);
        let sub = format!("{qualname}.{attr}");
        match scope.names.get(attr) {
            Some(b) => b.value.clone(),
            None if self.project.module(&sub).is_some() => Value::Object {
                qualname: sub,
                callable: false,
            },
            None => match &scope.opaque {
                Some(u) => Value::Unknown(u.clone()),
                None => Value::unknown(format!("module {qualname} has no attribute {attr}")),
            },
        }
    }

    /// `base[key]` and `base[lower:upper:step]`; `os.environ[key]` reads the environment.
    fn eval_subscript(&self, f: &mut Frame, s: &ast::ExprSubscript) -> Value {
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

    /// `(name := value)`: binds the name and is the value.
    fn eval_named(&self, f: &mut Frame, n: &ast::ExprNamed) -> Value {
        let v = self.eval(f, &n.value);
        if let Expr::Name(name) = &*n.target {
            self.bind(f, name.id.as_str(), v.clone(), n.range);
        }
        v
    }

    pub(super) fn eval_elements(
        &self,
        f: &mut Frame,
        elts: &[Expr],
    ) -> Result<Vec<Value>, Unknown> {
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

    pub(super) fn eval_fstring(&self, f: &mut Frame, fs: &ast::ExprFString) -> Value {
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

    pub(super) fn eval_call(&self, f: &mut Frame, c: &ast::ExprCall) -> Value {
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
            if !matches!(
                receiver,
                Value::Object { .. } | Value::Pydantic { .. } | Value::Unknown(_)
            ) {
                return call_method(&receiver, a.attr.id.as_str(), &args, &kwargs);
            }
            if let Value::Unknown(u) = receiver {
                return Value::Unknown(u);
            }
        }
        if let Value::Pydantic {
            class,
            instance: false,
        } = func
        {
            // Constructor arguments override the environment; not followed.
            if !args.is_empty() || !kwargs.is_empty() {
                return Value::unknown("BaseSettings created with explicit arguments");
            }
            return Value::Pydantic {
                class,
                instance: true,
            };
        }
        if let Value::Object { qualname, .. } = &func {
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

/// A number literal: an integer (unknown past 128 bits) or a float; complex numbers are not
/// modelled.
fn number(n: &Number) -> Value {
    match n {
        Number::Int(i) => i
            .to_string()
            .parse::<i128>()
            .map_or_else(|_| Value::unknown("integer too large"), Value::Int),
        Number::Float(x) => Value::Float(*x),
        Number::Complex { .. } => Value::unknown("complex number"),
    }
}
