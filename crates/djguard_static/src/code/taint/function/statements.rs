//! Statements: bodies and loops walked in order, assignments bound, branches joined.

use super::*;

impl<'e, 'x, 'a> FnCx<'e, 'x, 'a> {
    pub(in crate::code::taint) fn walk_body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.walk_stmt(stmt));
        }
    }

    /// A loop body twice, so values carried from one iteration to the next are seen; nested
    /// loops deeper than three levels once, so nesting cannot make the walk exponential.
    /// The loop may run zero times: its outcome joins the state before it; then `else`.
    pub(in crate::code::taint) fn walk_loop(&mut self, body: &'a [Stmt], orelse: &'a [Stmt]) {
        let m = self.mark();
        self.loop_depth += 1;
        self.walk_body(body);
        if self.loop_depth <= 3 {
            self.walk_body(body);
        }
        self.loop_depth -= 1;
        let out = self.rollback(m);
        self.merge(vec![out], true);
        self.walk_body(orelse);
    }

    pub(in crate::code::taint) fn walk_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Expr(e) => self.walk_expr_stmt(e),
            Stmt::Assign(a) => self.walk_assign(a),
            Stmt::AnnAssign(a) => self.walk_ann_assign(a),
            Stmt::AugAssign(a) => self.walk_aug_assign(a),
            Stmt::Return(r) => self.walk_return(r),
            Stmt::If(s) => self.walk_if(s),
            Stmt::For(s) => self.walk_for(s),
            Stmt::While(s) => self.walk_while(s),
            Stmt::With(s) => self.walk_with(s),
            Stmt::Try(s) => self.walk_try(s),
            Stmt::Match(s) => self.walk_match(s),
            Stmt::Raise(r) => self.walk_raise(r),
            Stmt::Assert(a) => self.walk_assert(a),
            // Nested functions and classes are analysed on their own.
            _ => {}
        }
    }

    /// An expression statement, evaluated for its effects.
    fn walk_expr_stmt(&mut self, e: &'a ast::StmtExpr) {
        self.eval(&e.value);
        // `safe_join(base, name)` for its exception alone (`try: safe_join(...)`,
        // `except SuspiciousFileOperation: ...`): past it, the names are inside base.
        if let Expr::Call(c) = &*e.value
            && self
                .callee_name(&c.func)
                .is_some_and(|q| q == "django.utils._os.safe_join")
        {
            let keys: Vec<_> = c
                .arguments
                .args
                .iter()
                .skip(1)
                .flat_map(joined_keys)
                .collect();
            self.narrow(&keys);
        }
    }

    /// `a = b = value`: each target bound; a single name holding a check's outcome keeps
    /// what the check proves.
    fn walk_assign(&mut self, a: &'a ast::StmtAssign) {
        // `ok = isinstance(text, SafeData)`: remember what `ok` proves.
        let (v, g) = match &*a.value {
            Expr::Compare(_) | Expr::Call(_) | Expr::UnaryOp(_) => self.test(&a.value),
            _ => (self.eval(&a.value), Guards::default()),
        };
        for t in &a.targets {
            self.bind(t, &v);
        }
        if let [Expr::Name(n)] = a.targets.as_slice()
            && !g.is_empty()
            && g.known.is_none()
        {
            self.flags.insert(n.id.as_str(), g);
        }
    }

    /// `name: T = value` (an annotation without a value binds nothing).
    fn walk_ann_assign(&mut self, a: &'a ast::StmtAnnAssign) {
        if let Some(value) = &a.value {
            let v = self.eval(value);
            self.bind(&a.target, &v);
        }
    }

    /// `target op= value`: the taint of both sides, constant only when both are.
    fn walk_aug_assign(&mut self, a: &'a ast::StmtAugAssign) {
        let mut v = self.eval(&a.value);
        let old = self.eval(&a.target);
        if !v.taint.is_empty() || !old.taint.is_empty() {
            let mut t = old.taint.clone();
            t.union(&v.taint);
            v.taint = t.with_step(&self.step(a.range, "augmented assignment"));
        }
        // Not `Facts::join`, which counts a constant as harmless: here the added part must be
        // escaped itself unless both sides are constants, so `x += "<b>"` on escaped `x` is no
        // longer marked safe. Kept as it was before the facts became a flag set.
        let konst = v.is_const() && old.is_const();
        v.facts.set(Facts::CONST, konst);
        v.facts
            .set(Facts::SAFE, (v.is_safe() || konst) && old.harmless());
        v.facts.set(Facts::FORMATTED, !konst);
        // `x += ...` keeps how `x` starts.
        v.facts.set(Facts::ANCHORED, starts_fixed(&old));
        self.bind(&a.target, &v);
    }

    /// `return value`: what the summary says about returned values, and which parameters
    /// are validated when a true value is returned.
    fn walk_return(&mut self, r: &'a ast::StmtReturn) {
        let now = self.validated_now();
        self.exit_valid(&now);
        let Some(value) = &r.value else {
            return;
        };
        let (v, g) = match &**value {
            Expr::Compare(_) | Expr::Call(_) | Expr::UnaryOp(_) | Expr::BoolOp(_) => {
                self.test(value)
            }
            _ => (self.eval(value), Guards::default()),
        };
        self.any_return = true;
        self.returns_safe &= v.harmless();
        self.returns.union(&v.taint);
        if !origin_safe(&v) {
            match v.anchored_if {
                Some(p) => {
                    if !self.anchored_needs.contains(&p) {
                        self.anchored_needs.push(p);
                    }
                }
                None => self.returns_anchored = false,
            }
        }
        join_keys(&mut self.returns_keys, &v.keys);
        if !falsy_literal(value) {
            let mut valid = now;
            for (p, name) in &self.tracked {
                if g.yes.contains(&Key::Name(name)) && !valid.contains(p) {
                    valid.push(*p);
                }
            }
            intersect(&mut self.valid_ret, &valid);
        }
    }

    /// `if`/`elif`/`else`: each branch walked with what its condition (and the failure of
    /// the earlier ones) proves; branches a known condition rules out are skipped, and the
    /// outcomes of the branches that fall through are joined.
    fn walk_if(&mut self, s: &'a ast::StmtIf) {
        let (_, g) = self.test(&s.test);
        let mut outcomes = Vec::new();
        // What the earlier conditions proved by failing.
        let mut failed: Vec<Guards<'a>> = Vec::new();
        let mut has_else = false;
        let mut decided = false;
        if g.known != Some(false) {
            let m = self.mark();
            self.narrow(&g.yes);
            self.walk_body(&s.body);
            let o = self.rollback(m);
            if !terminates(&s.body) {
                outcomes.push(o);
            }
        }
        decided |= g.known == Some(true);
        failed.push(g);
        for clause in &s.elif_else_clauses {
            has_else |= clause.test.is_none();
            if decided {
                break;
            }
            let m = self.mark();
            for f in &failed {
                self.narrow(&f.no);
            }
            let g = match &clause.test {
                Some(t) => self.test(t).1,
                None => Guards::default(),
            };
            if g.known != Some(false) {
                self.narrow(&g.yes);
                self.walk_body(&clause.body);
            }
            let o = self.rollback(m);
            if !terminates(&clause.body) && g.known != Some(false) {
                outcomes.push(o);
            }
            decided |= g.known == Some(true);
            failed.push(g);
        }
        if !has_else && !decided {
            let m = self.mark();
            for f in &failed {
                self.narrow(&f.no);
            }
            outcomes.push(self.rollback(m));
        }
        self.merge(outcomes, false);
    }

    /// `for target in iter`: the target bound to an element, then the loop.
    fn walk_for(&mut self, s: &'a ast::StmtFor) {
        let mut it = self.eval(&s.iter);
        // `for key, value in d.items()`: keys and values are not told apart, so a flow
        // from one to the other (a file's content into its name) is not proven.
        // (Items of the request's own dicts, `request.POST.items()`, are request data
        // on both sides.)
        if let Expr::Call(c) = &*s.iter
            && let Expr::Attribute(a) = &*c.func
            && a.attr.id.as_str() == "items"
            && !self.ix.text(self.file, a.value.range()).contains("request")
            && matches!(&*s.target, Expr::Tuple(t) if t.elts.len() == 2)
        {
            it.taint = it.taint.guessed();
        }
        self.bind(&s.target, &it);
        self.walk_loop(&s.body, &s.orelse);
    }

    /// `while test`: the condition evaluated (for its effects), then the loop.
    fn walk_while(&mut self, s: &'a ast::StmtWhile) {
        self.test(&s.test);
        self.walk_loop(&s.body, &s.orelse);
    }

    /// `with ctx as var`: each context bound in order, then the body.
    fn walk_with(&mut self, s: &'a ast::StmtWith) {
        for item in &s.items {
            let v = self.eval(&item.context_expr);
            if let Some(var) = &item.optional_vars {
                self.bind(var, &v);
            }
        }
        self.walk_body(&s.body);
    }

    /// `try`: the body, then (the body having run) its `else`; the handlers start from the
    /// state after the body and join it; then `finally`.
    fn walk_try(&mut self, s: &'a ast::StmtTry) {
        self.walk_body(&s.body);
        let mut outcomes = Vec::new();
        for h in &s.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let o = self.branch(None, &h.body);
            if !terminates(&h.body) {
                outcomes.push(o);
            }
        }
        outcomes.push(self.branch(None, &s.orelse));
        self.merge(outcomes, false);
        self.walk_body(&s.finalbody);
    }

    /// `match subject`: each case a branch, joined (no case may match).
    fn walk_match(&mut self, s: &'a ast::StmtMatch) {
        self.eval(&s.subject);
        let mut outcomes = Vec::new();
        for case in &s.cases {
            outcomes.push(self.branch(None, &case.body));
        }
        self.merge(outcomes, true);
    }

    /// `raise exc`: the exception evaluated for its effects.
    fn walk_raise(&mut self, r: &'a ast::StmtRaise) {
        if let Some(e) = &r.exc {
            self.eval(e);
        }
    }

    /// `assert test`: past it, what the condition proves holds.
    fn walk_assert(&mut self, a: &'a ast::StmtAssert) {
        let (_, g) = self.test(&a.test);
        self.narrow(&g.yes);
    }

    pub(in crate::code::taint) fn bind(&mut self, target: &'a Expr, v: &AVal) {
        match target {
            Expr::Name(n) => {
                self.flags.remove(n.id.as_str());
                self.set(Key::Name(n.id.as_str()), v.clone());
            }
            Expr::Tuple(t) => {
                for e in &t.elts {
                    self.bind(e, &element(v));
                }
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.bind(e, &element(v));
                }
            }
            Expr::Starred(s) => self.bind(&s.value, v),
            Expr::Attribute(a) => {
                if let Some(key) = attr_key(target) {
                    self.set(key, v.clone());
                }
                // Storing request data into an attribute of a local object taints it.
                if !v.taint.is_empty()
                    && let Expr::Name(n) = &*a.value
                    && n.id.as_str() != "self"
                    && let Some(mut obj) = self.env.get(&Key::Name(n.id.as_str())).cloned()
                {
                    // Read back through this attribute, the value keeps its flow (the key
                    // above); through the object, it is only guessed.
                    obj.taint.union(&v.taint.guessed());
                    obj.facts.set(Facts::CONST, false);
                    self.set(Key::Name(n.id.as_str()), obj);
                }
            }
            Expr::Subscript(s) => {
                if let Expr::Name(n) = &*s.value
                    && let Some(mut obj) = self.env.get(&Key::Name(n.id.as_str())).cloned()
                {
                    match string_literal(&s.slice) {
                        // `context["q"] = ...`: a key of a dict being built.
                        Some(key) => set_key(&mut obj, key, v),
                        None => {
                            obj.taint.union(&v.taint);
                            obj.facts.absorb(v.facts);
                        }
                    }
                    self.set(Key::Name(n.id.as_str()), obj);
                }
            }
            _ => {}
        }
    }
}
