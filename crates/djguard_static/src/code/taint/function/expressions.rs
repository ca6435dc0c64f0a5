//! Expressions: names, literals, operators, f-strings, containers, attributes, subscripts.

use super::*;

impl<'e, 'x, 'a> FnCx<'e, 'x, 'a> {
    pub(in crate::code::taint) fn eval(&mut self, expr: &'a Expr) -> AVal {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.eval_inner(expr))
    }

    pub(in crate::code::taint) fn eval_inner(&mut self, expr: &'a Expr) -> AVal {
        match expr {
            Expr::StringLiteral(lit) => {
                AVal::with(Facts::CONST | Facts::ANCHORED.only_if(fixed_origin(lit.value.to_str())))
            }
            Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => AVal::konst(),
            Expr::Name(n) if self.redirect_checked(n.id.as_str()) => AVal::safe(),
            Expr::Name(n) => self.eval_name(n),
            Expr::Attribute(a) => self.eval_attribute(expr, a),
            Expr::Subscript(s) => self.eval_subscript(s),
            Expr::Call(c) if self.redirect_checked(self.ix.text(self.file, c.range())) => {
                AVal::safe()
            }
            Expr::Call(c) => self.eval_call(c),
            Expr::FString(f) => self.eval_fstring(f),
            Expr::BinOp(b) => self.eval_binop(b),
            Expr::BoolOp(b) => self.eval_boolop(b),
            Expr::If(i) => self.eval_if_exp(i),
            Expr::List(l) => self.collection(&l.elts),
            Expr::Tuple(t) => self.collection(&t.elts),
            Expr::Set(s) => self.collection(&s.elts),
            Expr::Dict(d) => self.eval_dict(d),
            Expr::ListComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::Generator(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => match &c.key {
                Some(k) => self.comprehension(&c.generators, &[k, &c.value]),
                None => self.comprehension(&c.generators, &[&c.value]),
            },
            Expr::Await(a) => self.eval(&a.value),
            Expr::Starred(s) => self.eval(&s.value),
            Expr::Named(n) => self.eval_named(n),
            Expr::Compare(c) => self.eval_compare(c),
            Expr::UnaryOp(u) => self.eval_unaryop(u),
            Expr::Yield(y) => self.eval_yield(y),
            _ => AVal::default(),
        }
    }

    /// A name: its value in the environment, else an imported sanitiser, a module constant,
    /// or nothing known.
    fn eval_name(&mut self, n: &'a ast::ExprName) -> AVal {
        match self.env.get(&Key::Name(n.id.as_str())) {
            Some(v) => v.clone(),
            None if self.ix.files[self.file]
                .imports
                .binding(n.id.as_str())
                .is_some_and(|q| known(q) == Some(Known::Sanitiser)) =>
            {
                AVal {
                    kind: Kind::Sanitiser,
                    ..AVal::default()
                }
            }
            None => {
                if self.ix.files[self.file].constants.contains(n.id.as_str()) {
                    AVal::konst()
                } else {
                    AVal::default()
                }
            }
        }
    }

    /// `base[index]`: a URL argument the URL conf restricts, an uploaded file, a typed form
    /// field, or the base's taint.
    fn eval_subscript(&mut self, s: &'a ast::ExprSubscript) -> AVal {
        let base = self.eval(&s.value);
        let index = self.eval(&s.slice);
        match base.kind {
            Kind::UrlKwargs(class)
                if string_literal(&s.slice)
                    .is_some_and(|k| self.ix.url_kwarg_safe(Def::Class(class), k)) =>
            {
                AVal::safe()
            }
            Kind::Files => {
                let taint = self.refine(&base.taint, s.value.range(), s.range);
                AVal {
                    taint,
                    kind: Kind::Upload,
                    ..AVal::default()
                }
            }
            Kind::CleanedData(form) => {
                if let Some(key) = string_literal(&s.slice)
                    && self.typed_field(form, key)
                {
                    return AVal::safe();
                }
                AVal {
                    taint: base.taint.clone(),
                    ..AVal::default()
                }
            }
            _ => {
                let taint = self.refine(&base.taint, s.value.range(), s.range);
                AVal {
                    taint,
                    facts: Facts::CONST.only_if(base.is_const() && index.is_const())
                        | base.facts & Facts::SAFE,
                    ..AVal::default()
                }
            }
        }
    }

    /// An f-string: the join of its interpolations; its literal prefix and first value tell
    /// where a URL built by it points.
    fn eval_fstring(&mut self, f: &'a ast::ExprFString) -> AVal {
        let mut out = AVal::built();
        let prefix = fstring_prefix(f);
        let mut first: Option<AVal> = None;
        for part in f.value.iter() {
            if let ast::FStringPart::FString(fs) = part {
                for el in &fs.elements {
                    if let ast::InterpolatedStringElement::Interpolation(i) = el {
                        let v = self.eval(&i.expression);
                        out.absorb(&v);
                        first.get_or_insert(v);
                    }
                }
            }
        }
        out.facts.set(
            Facts::ANCHORED,
            anchored_start(&prefix, first.as_ref().map(origin_safe)),
        );
        if !out.is_anchored() {
            out.anchored_if = anchor_param(&prefix, first.as_ref());
        }
        self.formatted(out, f.range, "f-string")
    }

    /// `left op right`: `%`-formatting and concatenation build strings (anchored by how
    /// they start); other operators are constant when both sides are.
    fn eval_binop(&mut self, b: &'a ast::ExprBinOp) -> AVal {
        let l = self.eval(&b.left);
        let (r, first_elt) = self.binop_right(b);
        match b.op {
            ast::Operator::Mod if l.is_const() && is_str(&b.left) => {
                let mut out = AVal::built();
                let fmt = string_literal(&b.left).unwrap_or("");
                let prefix = fmt.split('%').next().unwrap_or("");
                let first = first_elt;
                out.facts
                    .set(Facts::ANCHORED, anchored_start(prefix, first));
                out.absorb(&r);
                self.formatted(out, b.range, "%-formatting")
            }
            ast::Operator::Add | ast::Operator::Mod | ast::Operator::Div => {
                let mut out = AVal::built();
                out.absorb(&l);
                out.absorb(&r);
                out.facts.set(
                    Facts::ANCHORED,
                    match string_literal(&b.left) {
                        Some(text) => anchored_start(text, first_elt),
                        None => starts_fixed(&l),
                    },
                );
                if !out.is_anchored() && string_literal(&b.left).is_none() {
                    out.anchored_if = anchor_param("", Some(&l));
                }
                self.formatted(out, b.range, "concatenation")
            }
            _ => AVal::with(Facts::CONST.only_if(l.is_const() && r.is_const())),
        }
    }

    /// The right operand of a binary operation, and whether its first value is origin-safe.
    /// `"..." % (a, b)`: each element once; the first decides where a URL points.
    fn binop_right(&mut self, b: &'a ast::ExprBinOp) -> (AVal, Option<bool>) {
        match (&*b.right, b.op) {
            (Expr::Tuple(t), ast::Operator::Mod) => {
                let mut out = AVal::built();
                let mut first = None;
                for e in &t.elts {
                    let v = self.eval(e);
                    first.get_or_insert(origin_safe(&v));
                    out.absorb(&v);
                }
                (out, first)
            }
            _ => {
                let v = self.eval(&b.right);
                let first = Some(origin_safe(&v));
                (v, first)
            }
        }
    }

    /// `a or b` / `a and b` is one of its operands: their join (a URL stays anchored when
    /// every operand is, `next_url(request) or request.get_full_path()`).
    fn eval_boolop(&mut self, b: &'a ast::ExprBoolOp) -> AVal {
        let mut out: Option<AVal> = None;
        for v in &b.values {
            let x = self.eval(v);
            match out.as_mut() {
                Some(o) => o.join(&x),
                None => out = Some(x),
            }
        }
        out.unwrap_or_else(AVal::built)
    }

    /// `body if test else orelse`: the branch a known condition picks, else both branches
    /// (each with what the condition proves) joined.
    fn eval_if_exp(&mut self, i: &'a ast::ExprIf) -> AVal {
        let (_, g) = self.test(&i.test);
        match g.known {
            Some(true) => return self.eval(&i.body),
            Some(false) => return self.eval(&i.orelse),
            None => {}
        }
        let m = self.mark();
        self.narrow(&g.yes);
        let mut a = self.eval(&i.body);
        self.rollback(m);
        let m = self.mark();
        self.narrow(&g.no);
        let b = self.eval(&i.orelse);
        self.rollback(m);
        a.join(&b);
        a
    }

    /// A dict display: string keys keep their values apart (a template context); other keys
    /// and `**other` fold into the dict's own taint.
    fn eval_dict(&mut self, d: &'a ast::ExprDict) -> AVal {
        let mut out = AVal::konst();
        out.keys = Some(Arc::default());
        for item in &d.items {
            let vv = self.eval(&item.value);
            match &item.key {
                Some(k) => {
                    let kv = self.eval(k);
                    out.taint.union(&kv.taint);
                    out.facts.keep_if(Facts::CONST, kv.facts);
                    match string_literal(k) {
                        Some(name) => set_key(&mut out, name, &vv),
                        None => {
                            out.taint.union(&vv.taint);
                            out.facts.keep_if(Facts::CONST, vv.facts);
                        }
                    }
                }
                // `{**base, ...}`
                None => {
                    out.taint.union(&vv.taint);
                    out.facts.keep_if(Facts::CONST, vv.facts);
                    add_keys(&mut out, &vv);
                }
            }
        }
        out
    }

    /// `(target := value)`: binds the target and is the value.
    fn eval_named(&mut self, n: &'a ast::ExprNamed) -> AVal {
        let v = self.eval(&n.value);
        self.bind(&n.target, &v);
        v
    }

    /// A comparison: its operands evaluated (for their effects); the result is a bool.
    fn eval_compare(&mut self, c: &'a ast::ExprCompare) -> AVal {
        self.eval(&c.left);
        for e in &c.comparators {
            self.eval(e);
        }
        AVal::safe()
    }

    /// A unary operation: a bool or a number, constant when its operand is.
    fn eval_unaryop(&mut self, u: &'a ast::ExprUnaryOp) -> AVal {
        let v = self.eval(&u.operand);
        AVal::with(Facts::SAFE | v.facts & Facts::CONST)
    }

    /// `yield value`: the value is returned to the caller; what the generator receives is
    /// not known.
    fn eval_yield(&mut self, y: &'a ast::ExprYield) -> AVal {
        if let Some(v) = &y.value {
            let v = self.eval(v);
            self.returns.union(&v.taint);
        }
        AVal::default()
    }

    pub(in crate::code::taint) fn formatted(
        &self,
        mut out: AVal,
        range: TextRange,
        what: &str,
    ) -> AVal {
        if !out.taint.is_empty() {
            out.taint = out.taint.with_step(&self.step(range, what));
        }
        out.facts.set(Facts::FORMATTED, !out.is_const());
        out
    }

    pub(in crate::code::taint) fn collection(&mut self, elts: &'a [Expr]) -> AVal {
        let mut out = AVal::built();
        for e in elts {
            let v = self.eval(e);
            out.absorb(&v);
        }
        out
    }

    pub(in crate::code::taint) fn comprehension(
        &mut self,
        gens: &'a [ast::Comprehension],
        elts: &[&'a Expr],
    ) -> AVal {
        // Comprehension variables live in their own scope: undone afterwards.
        let m = self.mark();
        for g in gens {
            let it = self.eval(&g.iter);
            self.bind(&g.target, &element(&it));
            for cond in &g.ifs {
                self.eval(cond);
            }
        }
        let mut out = AVal::built();
        for e in elts {
            let v = self.eval(e);
            out.absorb(&v);
        }
        self.rollback(m);
        out
    }

    pub(in crate::code::taint) fn eval_attribute(
        &mut self,
        expr: &'a Expr,
        a: &'a ast::ExprAttribute,
    ) -> AVal {
        if let Some(key) = attr_key(expr)
            && let Some(v) = self.env.get(&key)
        {
            return v.clone();
        }
        let base = self.eval(&a.value);
        let attr = a.attr.id.as_str();
        match base.kind {
            Kind::Request if REQUEST_SOURCES.contains(&attr) => AVal {
                taint: self.source(a.range),
                kind: if attr == "FILES" {
                    Kind::Files
                } else {
                    Kind::Plain
                },
                // The path matched one of the project's URL patterns, which start with their
                // own prefix; only a catch-all root pattern lets `//host` through.
                facts: Facts::ANCHORED.only_if(matches!(attr, "path" | "path_info")),
                ..AVal::default()
            },
            Kind::Request => AVal::default(),
            Kind::SelfOf { view: true, .. } if attr == "request" => AVal {
                kind: Kind::Request,
                ..AVal::default()
            },
            Kind::SelfOf { view: true, class } if attr == "kwargs" => AVal {
                taint: self.source(a.range),
                kind: Kind::UrlKwargs(class),
                ..AVal::default()
            },
            Kind::SelfOf { view: true, .. } if attr == "args" => AVal {
                taint: self.source(a.range),
                ..AVal::default()
            },
            Kind::Form(c) if attr == "cleaned_data" || attr == "validated_data" => AVal {
                taint: base.taint.clone(),
                kind: Kind::CleanedData(c),
                ..AVal::default()
            },
            Kind::Form(_) if attr == "data" || attr == "initial_data" => AVal {
                taint: base.taint.clone(),
                ..AVal::default()
            },
            Kind::Form(_) => AVal::default(),
            _ => AVal {
                taint: self.refine(&base.taint, a.value.range(), a.range),
                facts: base.facts & (Facts::CONST | Facts::SAFE),
                ..AVal::default()
            },
        }
    }

    pub(in crate::code::taint) fn typed_field(&self, form: Option<ClassId>, key: &str) -> bool {
        let Some(form) = form else {
            return false;
        };
        // A `clean_<field>()` method is where Django validates a field: trust it.
        if self.ix.method(form, &format!("clean_{key}")).is_some() {
            return true;
        }
        let Some((c, value)) = self.ix.class_attr(form, key) else {
            return false;
        };
        let Expr::Call(call) = value else {
            return false;
        };
        let file = self.ix.classes[c].file;
        let name = self
            .ix
            .qualname(file, &call.func)
            .unwrap_or_else(|| self.ix.text(file, call.func.range()).to_string());
        let last = name.rsplit('.').next().unwrap_or(&name);
        TYPED_FIELDS.contains(&last)
    }

    /// The qualified name of a callee: imports and module definitions, else a builtin when the
    /// name is not bound locally.
    pub(in crate::code::taint) fn callee_name(&self, func: &Expr) -> Option<String> {
        if let Some(q) = self.ix.qualname(self.file, func) {
            return Some(q);
        }
        if let Expr::Name(n) = func
            && !self.env.contains_key(&Key::Name(n.id.as_str()))
        {
            return Some(format!("builtins.{}", n.id.as_str()));
        }
        None
    }
}
