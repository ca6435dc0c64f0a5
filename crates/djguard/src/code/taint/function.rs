//! One function (or module body) at a time: statements, guards and the branches they prove,
//! expressions, and calls split into named steps.

use super::*;

/// Local names (`("q", "")`) and attributes of local names (`("self", "query")`), borrowed
/// from the tree so copying an environment at a branch allocates no strings.
pub(super) type Key<'a> = (&'a str, &'a str);
pub(super) type Env<'a> = FxHashMap<Key<'a>, AVal>;
/// What a branch left in the names it wrote.
pub(super) type Outcome<'a> = FxHashMap<Key<'a>, Option<AVal>>;

pub(super) struct FnCx<'e, 'x, 'a> {
    pub(super) engine: &'e Engine<'x, 'a>,
    pub(super) ix: &'x Index<'a>,
    pub(super) file: usize,
    pub(super) func: Option<FuncId>,
    pub(super) env: Env<'a>,
    pub(super) returns: Taint,
    pub(super) returns_anchored: bool,
    pub(super) returns_keys: Option<Arc<Vec<(String, AVal)>>>,
    pub(super) param_sinks: Vec<ParamSink>,
    /// The function body, scanned for checks only when a tainted value reaches a sink that
    /// a check would clear (rare, so most functions are never scanned twice).
    pub(super) body: &'a [Stmt],
    /// Names checked by `url_has_allowed_host_and_scheme` somewhere in the function, and
    /// names checked for containment (`startswith`, `is_relative_to`, `commonpath`).
    pub(super) checks: Option<(HashSet<&'a str>, HashSet<&'a str>)>,
    pub(super) loop_depth: u32,
    /// Undo log of bindings made inside branches (key, previous value), and how many
    /// branches are open.
    pub(super) log: Vec<(Key<'a>, Option<AVal>)>,
    pub(super) marks: usize,
    /// The function's parameters that carry their own taint, by index and name.
    pub(super) tracked: Vec<(u16, &'a str)>,
    pub(super) any_return: bool,
    pub(super) returns_safe: bool,
    pub(super) anchored_needs: Vec<u16>,
    /// Parameters checked at every return of a true value / at every normal exit so far.
    pub(super) valid_ret: Option<Vec<u16>>,
    pub(super) valid_exit: Option<Vec<u16>>,
    /// Names holding the outcome of a check (`ok = isinstance(text, SafeData)`).
    pub(super) flags: FxHashMap<&'a str, Guards<'a>>,
}

/// What a condition proves when it holds (`yes`) and when it fails (`no`): the names it
/// checked against a fixed set or a validator.
#[derive(Clone, Debug, Default)]
pub(super) struct Guards<'a> {
    pub(super) yes: Vec<Key<'a>>,
    pub(super) no: Vec<Key<'a>>,
    /// The condition's value when it is known (`if autoescape:` in a filter).
    pub(super) known: Option<bool>,
}

impl<'a> Guards<'a> {
    pub(super) fn is_empty(&self) -> bool {
        self.yes.is_empty() && self.no.is_empty() && self.known.is_none()
    }

    pub(super) fn negate(self) -> Guards<'a> {
        Guards {
            yes: self.no,
            no: self.yes,
            known: self.known.map(|k| !k),
        }
    }
}

/// Whether a block always leaves the function (`return`, `raise`): what it binds never
/// reaches the code after it.
pub(super) fn terminates(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::If(i) => {
            terminates(&i.body)
                && i.elif_else_clauses.iter().any(|c| c.test.is_none())
                && i.elif_else_clauses.iter().all(|c| terminates(&c.body))
        }
        _ => false,
    })
}

/// A literal that is false in a condition (`return False`, `return None`, `return ""`).
pub(super) fn falsy_literal(e: &Expr) -> bool {
    match e {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(n) => matches!(&n.value, ast::Number::Int(i) if *i == ast::Int::ZERO),
        Expr::StringLiteral(s) => s.value.to_str().is_empty(),
        Expr::List(l) => l.elts.is_empty(),
        Expr::Tuple(t) => t.elts.is_empty(),
        _ => false,
    }
}

/// The environment key of a name or `obj.attr`.
/// The names a checked path argument is made of: the argument itself, or each part of an
/// `os.path.join(a, b)` (checking the joined path checks the later join of the same parts
/// under the same base).
pub(super) fn joined_keys(e: &Expr) -> Vec<Key<'_>> {
    if let Expr::Call(c) = e
        && let Expr::Attribute(a) = &*c.func
        && a.attr.id.as_str() == "join"
        && matches!(&*a.value, Expr::Attribute(p) if p.attr.id.as_str() == "path"
            && matches!(&*p.value, Expr::Name(n) if n.id.as_str() == "os"))
    {
        return c.arguments.args.iter().filter_map(key_of).collect();
    }
    key_of(e).into_iter().collect()
}

pub(super) fn key_of(e: &Expr) -> Option<Key<'_>> {
    match e {
        Expr::Name(n) => Some((n.id.as_str(), "")),
        _ => attr_key(e),
    }
}

/// Types whose instances carry no markup or path (`isinstance(x, int)`), or that are already
/// escaped (`isinstance(x, SafeData)`).
pub(super) fn safe_type(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    matches!(
        last,
        "SafeData"
            | "SafeString"
            | "SafeText"
            | "Markup"
            | "int"
            | "float"
            | "bool"
            | "UUID"
            | "Decimal"
            | "date"
            | "datetime"
            | "time"
            | "timedelta"
    )
}

impl<'e, 'x, 'a> FnCx<'e, 'x, 'a> {
    pub(super) fn new(engine: &'e Engine<'x, 'a>, file: usize, func: Option<FuncId>) -> Self {
        FnCx {
            engine,
            ix: engine.ix,
            file,
            func,
            env: FxHashMap::default(),
            returns: Taint::default(),
            returns_anchored: true,
            returns_keys: None,
            param_sinks: Vec::new(),
            body: &[],
            checks: None,
            loop_depth: 0,
            log: Vec::new(),
            marks: 0,
            tracked: Vec::new(),
            any_return: false,
            returns_safe: true,
            anchored_needs: Vec::new(),
            valid_ret: None,
            valid_exit: None,
            flags: FxHashMap::default(),
        }
    }

    /// The tracked parameters a check has validated at this point.
    pub(super) fn validated_now(&self) -> Vec<u16> {
        self.tracked
            .iter()
            .filter(|(p, name)| {
                self.env.get(&(*name, "")).is_some_and(|v| {
                    v.kind == Kind::Checked && !v.taint.params.iter().any(|(q, _)| q == p)
                })
            })
            .map(|(p, _)| *p)
            .collect()
    }

    pub(super) fn exit_valid(&mut self, now: &[u16]) {
        intersect(&mut self.valid_exit, now);
    }

    /// A value a check accepted: it carries nothing of the request any more.
    pub(super) fn checked() -> AVal {
        AVal {
            kind: Kind::Checked,
            safe: true,
            ..AVal::default()
        }
    }

    /// Rebind the names a condition proved.
    pub(super) fn narrow(&mut self, keys: &[Key<'a>]) {
        for k in keys {
            self.set(*k, Self::checked());
        }
    }

    /// Evaluate a condition and say what it proves.
    pub(super) fn test(&mut self, e: &'a Expr) -> (AVal, Guards<'a>) {
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                let (_, g) = self.test(&u.operand);
                (AVal::safe(), g.negate())
            }
            Expr::BoolOp(b) => {
                let and = b.op == ast::BoolOp::And;
                let mut out = AVal::built();
                let mut acc: Option<Guards<'a>> = None;
                for v in &b.values {
                    let (x, g) = self.test(v);
                    out.absorb(&x);
                    acc = Some(match acc {
                        None => g,
                        Some(a) => {
                            // and: every part holds (union of `yes`), one fails (common `no`).
                            let (union, common) = if and {
                                (combine(a.yes, g.yes, true), combine(a.no, g.no, false))
                            } else {
                                (combine(a.no, g.no, true), combine(a.yes, g.yes, false))
                            };
                            if and {
                                Guards {
                                    yes: union,
                                    no: common,
                                    known: None,
                                }
                            } else {
                                Guards {
                                    yes: common,
                                    no: union,
                                    known: None,
                                }
                            }
                        }
                    });
                }
                (out, acc.unwrap_or_default())
            }
            Expr::Compare(c) if c.ops.len() == 1 && c.comparators.len() == 1 => {
                let l = self.eval(&c.left);
                let right = &c.comparators[0];
                let r = self.eval(right);
                let mut g = Guards::default();
                let keys: Vec<Key<'a>> = match c.ops[0] {
                    // Membership in a collection the client does not control.
                    ast::CmpOp::In | ast::CmpOp::NotIn => key_of(&c.left)
                        .filter(|_| r.taint.is_empty() && matches!(r.kind, Kind::Plain))
                        .into_iter()
                        .collect(),
                    // Equality with a constant.
                    ast::CmpOp::Eq | ast::CmpOp::NotEq | ast::CmpOp::Is | ast::CmpOp::IsNot => {
                        let mut k = Vec::new();
                        if r.konst
                            && let Some(key) = key_of(&c.left)
                        {
                            k.push(key);
                        }
                        if l.konst
                            && let Some(key) = key_of(right)
                        {
                            k.push(key);
                        }
                        k
                    }
                    _ => Vec::new(),
                };
                if matches!(c.ops[0], ast::CmpOp::In | ast::CmpOp::Eq | ast::CmpOp::Is) {
                    g.yes = keys;
                } else {
                    g.no = keys;
                }
                // `if os.path.sep in name: raise`: without a separator it names no other folder.
                if path_separator(&c.left)
                    && let Some(key) = key_of(right)
                {
                    match c.ops[0] {
                        ast::CmpOp::In => g.no.push(key),
                        ast::CmpOp::NotIn => g.yes.push(key),
                        _ => {}
                    }
                }
                (AVal::safe(), g)
            }
            Expr::Call(c) => {
                let v = self.eval(e);
                let yes = self.validated_args(c);
                (
                    v,
                    Guards {
                        yes,
                        ..Guards::default()
                    },
                )
            }
            Expr::Name(n) => {
                let v = self.eval(e);
                if v.kind == Kind::AutoEscape {
                    return (
                        v,
                        Guards {
                            known: Some(true),
                            ..Guards::default()
                        },
                    );
                }
                let g = self.flags.get(n.id.as_str()).cloned().unwrap_or_default();
                (v, g)
            }
            _ => (self.eval(e), Guards::default()),
        }
    }

    /// The arguments a call validates when it returns a true value: a known validator
    /// (`url_has_allowed_host_and_scheme`, `str.isdigit`, `isinstance(x, int)`) or a project
    /// function whose summary says so.
    pub(super) fn validated_args(&mut self, c: &'a ast::ExprCall) -> Vec<Key<'a>> {
        let first = || {
            c.arguments.args.first().or_else(|| {
                c.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "url"))
                    .map(|k| &k.value)
            })
        };
        match &*c.func {
            Expr::Attribute(a) => {
                let m = a.attr.id.as_str();
                if matches!(
                    m,
                    "isdigit" | "isdecimal" | "isnumeric" | "isalnum" | "isalpha" | "isidentifier"
                ) {
                    return key_of(&a.value).into_iter().collect();
                }
                if matches!(m, "url_has_allowed_host_and_scheme" | "is_safe_url") {
                    return first().and_then(key_of).into_iter().collect();
                }
            }
            Expr::Name(n) => match n.id.as_str() {
                "url_has_allowed_host_and_scheme" | "is_safe_url" => {
                    return first().and_then(key_of).into_iter().collect();
                }
                "isinstance" if !self.env.contains_key(&("isinstance", "")) => {
                    let (Some(x), Some(t)) = (c.arguments.args.first(), c.arguments.args.get(1))
                    else {
                        return Vec::new();
                    };
                    let types: Vec<&Expr> = match t {
                        Expr::Tuple(t) => t.elts.iter().collect(),
                        other => vec![other],
                    };
                    let all_safe = types
                        .iter()
                        .all(|t| safe_type(self.ix.text(self.file, t.range())));
                    return if all_safe {
                        key_of(x).into_iter().collect()
                    } else {
                        Vec::new()
                    };
                }
                _ => {}
            },
            _ => {}
        }
        let Some((fid, offset)) = self.project_callee(c) else {
            return Vec::new();
        };
        let summary = self.engine.summary(fid);
        summary
            .validates
            .iter()
            .filter_map(|p| arg_expr(self.ix.funcs[fid].def, offset, c, *p))
            .flat_map(joined_keys)
            .collect()
    }

    /// The project function a call runs, with how many leading parameters the call fills
    /// implicitly (`self`).
    pub(super) fn project_callee(&self, c: &'a ast::ExprCall) -> Option<(FuncId, usize)> {
        if let Expr::Attribute(a) = &*c.func
            && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self")
        {
            let class = self.func.and_then(|f| self.ix.funcs[f].class)?;
            let fid = self.ix.method(class, a.attr.id.as_str())?;
            let offset = usize::from(!has_decorator(self.ix.funcs[fid].def, "staticmethod"));
            return Some((fid, offset));
        }
        if !self.ix.may_be_project(self.file, &c.func) {
            return None;
        }
        let q = self.callee_name(&c.func)?;
        match self
            .ix
            .lookup(&q)
            .or_else(|| self.ix.resolve_def(self.file, &c.func))?
        {
            Def::Func(fid) => Some((
                fid,
                usize::from(has_decorator(self.ix.funcs[fid].def, "classmethod")),
            )),
            Def::Class(_) => None,
        }
    }

    pub(super) fn step(&self, range: TextRange, text: impl Into<String>) -> Step {
        Step {
            file: self.file,
            range,
            text: text.into(),
        }
    }

    pub(super) fn source(&self, range: TextRange) -> Taint {
        let text = self.ix.text(self.file, range);
        Taint::source(self.step(range, shorten(text)))
    }

    /// Widen a bare source to the expression that reads it: `request.GET` →
    /// `request.GET['q']`.
    pub(super) fn refine(&self, taint: &Taint, inner: TextRange, outer: TextRange) -> Taint {
        if let Some(src) = &taint.source
            && src.steps.len() == 1
            && src.steps[0].range == inner
            && src.steps[0].file == self.file
        {
            let mut t = taint.clone();
            t.source = self.source(outer).source;
            return t;
        }
        taint.clone()
    }

    /// Whether this name or expression text was validated with
    /// `url_has_allowed_host_and_scheme` in the function (only when the checks were scanned).
    pub(super) fn redirect_checked(&self, text: &str) -> bool {
        self.checks
            .as_ref()
            .is_some_and(|(r, _)| !r.is_empty() && r.contains(text))
    }

    pub(super) fn checks(&mut self) -> &(HashSet<&'a str>, HashSet<&'a str>) {
        let body = self.body;
        self.checks.get_or_insert_with(|| {
            let mut redirect = HashSet::default();
            let mut path = HashSet::default();
            let mut aliases = Vec::new();
            let mut v = Prescan {
                ix: self.ix,
                file: self.file,
                redirect: &mut redirect,
                path: &mut path,
                aliases: &mut aliases,
            };
            for s in body {
                ast::visitor::Visitor::visit_stmt(&mut v, s);
            }
            // `real = os.path.realpath(path)` then a check of `real`: `path` is checked too.
            for _ in 0..2 {
                for (resolved, name) in &aliases {
                    if path.contains(resolved) {
                        path.insert(name);
                    }
                }
            }
            (redirect, path)
        })
    }

    pub(super) fn walk_body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.walk_stmt(stmt));
        }
    }

    /// A loop body twice, so values carried from one iteration to the next are seen; nested
    /// loops deeper than three levels once, so nesting cannot make the walk exponential.
    /// The loop may run zero times: its outcome joins the state before it; then `else`.
    pub(super) fn walk_loop(&mut self, body: &'a [Stmt], orelse: &'a [Stmt]) {
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

    /// Bind a name; inside a branch the old value is logged so the branch can be undone.
    pub(super) fn set(&mut self, key: Key<'a>, v: AVal) {
        let prev = self.env.insert(key, v);
        if self.marks > 0 {
            self.log.push((key, prev));
        }
    }

    pub(super) fn mark(&mut self) -> usize {
        self.marks += 1;
        self.log.len()
    }

    /// Undo the bindings made since `mark`; return what the branch left in each name it
    /// wrote (`None`: unbound). Cost is the number of writes, not the size of the scope, so a
    /// long function with many `if`s stays linear.
    pub(super) fn rollback(&mut self, mark: usize) -> Outcome<'a> {
        let mut out: Outcome<'a> = FxHashMap::default();
        for (k, _) in self.log.get(mark..).unwrap_or(&[]) {
            out.entry(*k).or_insert_with(|| self.env.get(k).cloned());
        }
        while self.log.len() > mark {
            let Some((k, prev)) = self.log.pop() else {
                break;
            };
            match prev {
                Some(v) => {
                    self.env.insert(k, v);
                }
                None => {
                    self.env.remove(&k);
                }
            }
        }
        self.marks = self.marks.saturating_sub(1);
        out
    }

    /// Join branch outcomes into the current scope (the state before the branches). With
    /// `fallthrough`, the state before is one of the possibilities (an `if` without `else`, a
    /// loop that runs zero times).
    pub(super) fn merge(&mut self, outcomes: Vec<Outcome<'a>>, fallthrough: bool) {
        let mut keys: Vec<Key<'a>> = Vec::new();
        let mut seen: rustc_hash::FxHashSet<Key<'a>> = rustc_hash::FxHashSet::default();
        for o in &outcomes {
            for k in o.keys() {
                if seen.insert(*k) {
                    keys.push(*k);
                }
            }
        }
        for k in keys {
            let start = self.env.get(&k).cloned();
            let mut acc: Option<AVal> = if fallthrough { start.clone() } else { None };
            for o in &outcomes {
                let v = match o.get(&k) {
                    Some(v) => v.clone(),
                    None => start.clone(),
                };
                if let Some(v) = v {
                    match &mut acc {
                        Some(a) => a.join(&v),
                        None => acc = Some(v),
                    }
                }
            }
            if let Some(v) = acc {
                self.set(k, v);
            }
        }
    }

    pub(super) fn branch(&mut self, test: Option<&'a Expr>, body: &'a [Stmt]) -> Outcome<'a> {
        let m = self.mark();
        if let Some(t) = test {
            self.eval(t);
        }
        self.walk_body(body);
        self.rollback(m)
    }

    pub(super) fn walk_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Expr(e) => {
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
            Stmt::Assign(a) => {
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
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(value);
                    self.bind(&a.target, &v);
                }
            }
            Stmt::AugAssign(a) => {
                let mut v = self.eval(&a.value);
                let old = self.eval(&a.target);
                if !v.taint.is_empty() || !old.taint.is_empty() {
                    let mut t = old.taint.clone();
                    t.union(&v.taint);
                    v.taint = t.with_step(&self.step(a.range, "augmented assignment"));
                }
                v.konst = v.konst && old.konst;
                v.safe = (v.safe || v.konst) && (old.safe || old.konst);
                v.formatted = !v.konst;
                // `x += ...` keeps how `x` starts.
                v.anchored = starts_fixed(&old);
                self.bind(&a.target, &v);
            }
            Stmt::Return(r) => {
                let now = self.validated_now();
                self.exit_valid(&now);
                if let Some(value) = &r.value {
                    let (v, g) = match &**value {
                        Expr::Compare(_) | Expr::Call(_) | Expr::UnaryOp(_) | Expr::BoolOp(_) => {
                            self.test(value)
                        }
                        _ => (self.eval(value), Guards::default()),
                    };
                    self.any_return = true;
                    self.returns_safe &= v.safe || v.konst;
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
                            if g.yes.contains(&(*name, "")) && !valid.contains(p) {
                                valid.push(*p);
                            }
                        }
                        intersect(&mut self.valid_ret, &valid);
                    }
                }
            }
            Stmt::If(s) => {
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
            Stmt::For(s) => {
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
                    it.taint.source = it.taint.source.map(|f| Arc::new(f.guessed()));
                    for (_, f) in &mut it.taint.params {
                        *f = Arc::new(f.guessed());
                    }
                }
                self.bind(&s.target, &it);
                self.walk_loop(&s.body, &s.orelse);
            }
            Stmt::While(s) => {
                self.test(&s.test);
                self.walk_loop(&s.body, &s.orelse);
            }
            Stmt::With(s) => {
                for item in &s.items {
                    let v = self.eval(&item.context_expr);
                    if let Some(var) = &item.optional_vars {
                        self.bind(var, &v);
                    }
                }
                self.walk_body(&s.body);
            }
            Stmt::Try(s) => {
                // The body, then (the body having run) its `else`; the handlers start from the
                // state after the body and join it.
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
            Stmt::Match(s) => {
                self.eval(&s.subject);
                let mut outcomes = Vec::new();
                for case in &s.cases {
                    outcomes.push(self.branch(None, &case.body));
                }
                self.merge(outcomes, true);
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.eval(e);
                }
            }
            Stmt::Assert(a) => {
                let (_, g) = self.test(&a.test);
                self.narrow(&g.yes);
            }
            // Nested functions and classes are analysed on their own.
            _ => {}
        }
    }

    pub(super) fn bind(&mut self, target: &'a Expr, v: &AVal) {
        match target {
            Expr::Name(n) => {
                self.flags.remove(n.id.as_str());
                self.set((n.id.as_str(), ""), v.clone());
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
                    && let Some(mut obj) = self.env.get(&(n.id.as_str(), "")).cloned()
                {
                    // Read back through this attribute, the value keeps its flow (the key
                    // above); through the object, it is only guessed.
                    let mut stored = v.taint.clone();
                    stored.source = stored.source.map(|f| Arc::new(f.guessed()));
                    for (_, f) in &mut stored.params {
                        *f = Arc::new(f.guessed());
                    }
                    obj.taint.union(&stored);
                    obj.konst = false;
                    self.set((n.id.as_str(), ""), obj);
                }
            }
            Expr::Subscript(s) => {
                if let Expr::Name(n) = &*s.value
                    && let Some(mut obj) = self.env.get(&(n.id.as_str(), "")).cloned()
                {
                    match string_literal(&s.slice) {
                        // `context["q"] = ...`: a key of a dict being built.
                        Some(key) => set_key(&mut obj, key, v),
                        None => {
                            obj.taint.union(&v.taint);
                            obj.konst &= v.konst;
                            obj.safe &= v.safe || v.konst;
                        }
                    }
                    self.set((n.id.as_str(), ""), obj);
                }
            }
            _ => {}
        }
    }

    pub(super) fn eval(&mut self, expr: &'a Expr) -> AVal {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.eval_inner(expr))
    }

    pub(super) fn eval_inner(&mut self, expr: &'a Expr) -> AVal {
        match expr {
            Expr::StringLiteral(lit) => AVal {
                anchored: fixed_origin(lit.value.to_str()),
                ..AVal::konst()
            },
            Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => AVal::konst(),
            Expr::Name(n) if self.redirect_checked(n.id.as_str()) => AVal::safe(),
            Expr::Name(n) => match self.env.get(&(n.id.as_str(), "")) {
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
            },
            Expr::Attribute(a) => self.eval_attribute(expr, a),
            Expr::Subscript(s) => {
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
                            konst: base.konst && index.konst,
                            safe: base.safe,
                            ..AVal::default()
                        }
                    }
                }
            }
            Expr::Call(c) if self.redirect_checked(self.ix.text(self.file, c.range())) => {
                AVal::safe()
            }
            Expr::Call(c) => self.eval_call(c),
            Expr::FString(f) => {
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
                out.anchored = anchored_start(&prefix, first.as_ref().map(origin_safe));
                if !out.anchored {
                    out.anchored_if = anchor_param(&prefix, first.as_ref());
                }
                self.formatted(out, f.range, "f-string")
            }
            Expr::BinOp(b) => {
                let l = self.eval(&b.left);
                // `"..." % (a, b)`: each element once; the first decides where a URL points.
                let (r, first_elt) = match (&*b.right, b.op) {
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
                };
                match b.op {
                    ast::Operator::Mod if l.konst && is_str(&b.left) => {
                        let mut out = AVal::built();
                        let fmt = string_literal(&b.left).unwrap_or("");
                        let prefix = fmt.split('%').next().unwrap_or("");
                        let first = first_elt;
                        out.anchored = anchored_start(prefix, first);
                        out.absorb(&r);
                        self.formatted(out, b.range, "%-formatting")
                    }
                    ast::Operator::Add | ast::Operator::Mod | ast::Operator::Div => {
                        let mut out = AVal::built();
                        out.absorb(&l);
                        out.absorb(&r);
                        out.anchored = match string_literal(&b.left) {
                            Some(text) => anchored_start(text, first_elt),
                            None => starts_fixed(&l),
                        };
                        if !out.anchored && string_literal(&b.left).is_none() {
                            out.anchored_if = anchor_param("", Some(&l));
                        }
                        self.formatted(out, b.range, "concatenation")
                    }
                    _ => AVal {
                        konst: l.konst && r.konst,
                        ..AVal::default()
                    },
                }
            }
            // `a or b` / `a and b` is one of its operands: their join (a URL stays anchored
            // when every operand is, `next_url(request) or request.get_full_path()`).
            Expr::BoolOp(b) => {
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
            Expr::If(i) => {
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
            Expr::List(l) => self.collection(&l.elts),
            Expr::Tuple(t) => self.collection(&t.elts),
            Expr::Set(s) => self.collection(&s.elts),
            Expr::Dict(d) => {
                let mut out = AVal::konst();
                out.keys = Some(Arc::default());
                for item in &d.items {
                    let vv = self.eval(&item.value);
                    match &item.key {
                        Some(k) => {
                            let kv = self.eval(k);
                            out.taint.union(&kv.taint);
                            out.konst &= kv.konst;
                            match string_literal(k) {
                                Some(name) => set_key(&mut out, name, &vv),
                                None => {
                                    out.taint.union(&vv.taint);
                                    out.konst &= vv.konst;
                                }
                            }
                        }
                        // `{**base, ...}`
                        None => {
                            out.taint.union(&vv.taint);
                            out.konst &= vv.konst;
                            add_keys(&mut out, &vv);
                        }
                    }
                }
                out
            }
            Expr::ListComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::Generator(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => match &c.key {
                Some(k) => self.comprehension(&c.generators, &[k, &c.value]),
                None => self.comprehension(&c.generators, &[&c.value]),
            },
            Expr::Await(a) => self.eval(&a.value),
            Expr::Starred(s) => self.eval(&s.value),
            Expr::Named(n) => {
                let v = self.eval(&n.value);
                self.bind(&n.target, &v);
                v
            }
            Expr::Compare(c) => {
                self.eval(&c.left);
                for e in &c.comparators {
                    self.eval(e);
                }
                AVal::safe()
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand);
                AVal {
                    konst: v.konst,
                    ..AVal::safe()
                }
            }
            Expr::Yield(y) => {
                if let Some(v) = &y.value {
                    let v = self.eval(v);
                    self.returns.union(&v.taint);
                }
                AVal::default()
            }
            _ => AVal::default(),
        }
    }

    pub(super) fn formatted(&self, mut out: AVal, range: TextRange, what: &str) -> AVal {
        if !out.taint.is_empty() {
            out.taint = out.taint.with_step(&self.step(range, what));
        }
        out.formatted = !out.konst;
        out
    }

    pub(super) fn collection(&mut self, elts: &'a [Expr]) -> AVal {
        let mut out = AVal::built();
        for e in elts {
            let v = self.eval(e);
            out.absorb(&v);
        }
        out
    }

    pub(super) fn comprehension(
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

    pub(super) fn eval_attribute(&mut self, expr: &'a Expr, a: &'a ast::ExprAttribute) -> AVal {
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
                anchored: matches!(attr, "path" | "path_info"),
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
                konst: base.konst,
                safe: base.safe,
                ..AVal::default()
            },
        }
    }

    pub(super) fn typed_field(&self, form: Option<ClassId>, key: &str) -> bool {
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
    pub(super) fn callee_name(&self, func: &Expr) -> Option<String> {
        if let Some(q) = self.ix.qualname(self.file, func) {
            return Some(q);
        }
        if let Expr::Name(n) = func
            && !self.env.contains_key(&(n.id.as_str(), ""))
        {
            return Some(format!("builtins.{}", n.id.as_str()));
        }
        None
    }

    pub(super) fn eval_call(&mut self, call: &'a ast::ExprCall) -> AVal {
        let c = self.call_parts(call);
        if let Some(v) = self.dict_building(c.method, c.receiver, call, &c.args, &c.kws) {
            return v;
        }
        self.encoder_call(&c)
            .or_else(|| self.receiver_call(&c))
            .or_else(|| self.escaping_call(&c))
            .or_else(|| self.known_or_project_call(&c))
            .or_else(|| self.string_method(&c))
            .unwrap_or_default()
    }

    /// Evaluates a call's receiver and arguments, resolves the callee when it can matter,
    /// checks the rules' sinks and records a template's context.
    pub(super) fn call_parts(&mut self, call: &'a ast::ExprCall) -> CallParts<'a> {
        let (method, receiver) = match &*call.func {
            Expr::Attribute(a) => (Some(a.attr.id.as_str()), Some(&*a.value)),
            _ => (None, None),
        };
        let recv = receiver.map(|r| self.eval(r));
        let args: Vec<AVal> = call.arguments.args.iter().map(|a| self.eval(a)).collect();
        let kws: Vec<(Option<&'a str>, AVal)> = call
            .arguments
            .keywords
            .iter()
            .map(|k| (k.arg.as_ref().map(|a| a.id.as_str()), self.eval(&k.value)))
            .collect();
        let spelled = method.or(match &*call.func {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        });
        // Resolving a callee through the imports allocates; only calls that can matter are
        // resolved: spelled like a sink, sanitiser or propagator, or defined in the project.
        // An imported name called directly may be an alias (`RawSQL as R`): resolve it too.
        let imported_name = matches!(&*call.func, Expr::Name(n)
            if self.ix.files[self.file].imports.binding(n.id.as_str()).is_some());
        let interesting = imported_name
            || spelled.is_some_and(interesting_name)
            || self.ix.may_be_project(self.file, &call.func);
        let qualname = if interesting {
            self.callee_name(&call.func)
        } else {
            None
        };

        let site = CallSite {
            ix: self.ix,
            file: self.file,
            call,
            qualname: qualname.as_deref(),
            method,
            receiver,
        };
        for sink in crate::rules::code::sinks(&site) {
            self.check_sink(&sink, call, (receiver, recv.as_ref()), &args, &kws);
        }
        self.record_context(qualname.as_deref(), call);
        CallParts {
            call,
            method,
            receiver,
            recv,
            args,
            kws,
            qualname,
        }
    }

    /// Encoders: percent-encoding, and replacing every `<` (no tag can open).
    pub(super) fn encoder_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // Encoders: percent-encoding, and replacing every `<` (no tag can open).
        if let Some(m) = c.method
            && self.encodes(m, c.call)
        {
            return Some(AVal::safe());
        }
        None
    }

    /// A method of a value whose kind decides (the request, uploads, `self`, URL arguments, `cleaned_data`).
    pub(super) fn receiver_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // The c.receiver decides first.
        if let (Some(m), Some(r)) = (c.method, &c.recv) {
            match r.kind {
                Kind::Request
                    if m == "build_absolute_uri"
                        && c.args.first().is_some_and(|a| a.taint.is_empty()) =>
                {
                    // The host is validated against ALLOWED_HOSTS, the path is ours.
                    return Some(AVal {
                        anchored: true,
                        ..AVal::safe()
                    });
                }
                Kind::Request if REQUEST_SOURCE_METHODS.contains(&m) => {
                    return Some(AVal {
                        taint: self.source(c.call.range()),
                        anchored: matches!(
                            m,
                            "get_full_path" | "get_full_path_info" | "build_absolute_uri"
                        ),
                        ..AVal::default()
                    });
                }
                Kind::Request => return Some(AVal::default()),
                Kind::Files if m == "get" => {
                    let inner = c.receiver.map_or(c.call.range(), Ranged::range);
                    return Some(AVal {
                        taint: self.refine(&r.taint, inner, c.call.range()),
                        kind: Kind::Upload,
                        ..AVal::default()
                    });
                }
                Kind::SelfOf { class, .. } => {
                    if let Some(fid) = self.ix.method(class, m) {
                        let offset =
                            usize::from(!has_decorator(self.ix.funcs[fid].def, "staticmethod"));
                        return Some(self.apply(fid, offset, c.call, &c.args, &c.kws));
                    }
                    return Some(AVal::default());
                }
                Kind::UrlKwargs(class)
                    if m == "get"
                        && c.call
                            .arguments
                            .args
                            .first()
                            .and_then(string_literal)
                            .is_some_and(|k| self.ix.url_kwarg_safe(Def::Class(class), k)) =>
                {
                    return Some(AVal::safe());
                }
                Kind::CleanedData(form) if m == "get" => {
                    if let Some(key) = c.call.arguments.args.first().and_then(string_literal)
                        && self.typed_field(form, key)
                    {
                        return Some(AVal::safe());
                    }
                    return Some(AVal {
                        taint: r.taint.clone(),
                        ..AVal::default()
                    });
                }
                _ => {}
            }
        }
        None
    }

    /// A local bound to a sanitiser, or rendering a template or form: escaped output.
    pub(super) fn escaping_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // A local bound to a sanitiser (`esc(value)` after `esc = conditional_escape ...`).
        if let Expr::Name(n) = &*c.call.func
            && self
                .env
                .get(&(n.id.as_str(), ""))
                .is_some_and(|v| v.kind == Kind::Sanitiser)
        {
            return Some(AVal::safe());
        }
        // Rendering a template or a form escapes what goes into it.
        if matches!(
            c.method,
            Some("render" | "render_to_string" | "as_p" | "as_table" | "as_ul" | "as_div")
        ) {
            return Some(AVal::safe());
        }
        None
    }

    /// A call djguard knows by its qualified name (escapers, sanitisers, propagators, forms) or a project function or class, applied with its summary.
    pub(super) fn known_or_project_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        if let Some(q) = c.qualname.as_deref() {
            if matches!(
                q,
                "django.template.defaultfilters.urlize"
                    | "django.template.defaultfilters.urlizetrunc"
            ) || (q == "django.utils.html.urlize" && !c.kws.is_empty())
            {
                // Escapes unless told `autoescape=False`.
                let off = c.call.arguments.keywords.iter().any(|k| {
                    k.arg
                        .as_ref()
                        .is_some_and(|a| a.id.as_str() == "autoescape")
                        && matches!(&k.value, Expr::BooleanLiteral(b) if !b.value)
                });
                if !off {
                    return Some(AVal::safe());
                }
            }
            if q == "json.dumps" && self.escaping_encoder(c.call) {
                return Some(AVal::safe());
            }
            if known(q) == Some(Known::Sanitiser) {
                return Some(AVal::safe());
            }
            if known(q) == Some(Known::Propagator) {
                let mut out = AVal::built();
                for v in c.args.iter().chain(c.kws.iter().map(|(_, v)| v)) {
                    out.absorb(v);
                }
                return Some(out);
            }
            match self
                .ix
                .lookup(q)
                .or_else(|| self.ix.resolve_def(self.file, &c.call.func))
            {
                Some(Def::Func(fid)) => {
                    // Through the class: a classmethod gets `cls` implicitly; a plain c.method
                    // gets its instance as the first argument, a staticmethod nothing.
                    let offset = usize::from(has_decorator(self.ix.funcs[fid].def, "classmethod"));
                    return Some(self.apply(fid, offset, c.call, &c.args, &c.kws));
                }
                Some(Def::Class(cid)) => {
                    if self.ix.is_form_class(cid) {
                        return Some(self.form(Some(cid), &c.args, &c.kws));
                    }
                    if let Some(init) = self.ix.method(cid, "__init__") {
                        // Parameters flowing into the instance are not tracked; the
                        // constructor's own sinks are.
                        self.apply(init, 1, c.call, &c.args, &c.kws);
                    }
                    return Some(AVal::default());
                }
                None => {}
            }
            if q.starts_with("django.forms.") {
                return Some(self.form(None, &c.args, &c.kws));
            }
        }
        None
    }

    /// A method of a string: formatting or joining a constant template, propagating methods, and safe methods of an escaped value.
    pub(super) fn string_method(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        if let (Some(m), Some(r)) = (c.method, &c.recv) {
            if r.konst && is_str(c.receiver.unwrap_or(&c.call.func)) {
                match m {
                    "format" | "format_map" => {
                        let mut out = AVal::built();
                        let fmt = c.receiver.and_then(string_literal).unwrap_or("");
                        let prefix = fmt.split('{').next().unwrap_or("");
                        out.anchored = anchored_start(
                            prefix,
                            c.args
                                .first()
                                .or(c.kws.first().map(|(_, v)| v))
                                .map(origin_safe),
                        );
                        for v in c.args.iter().chain(c.kws.iter().map(|(_, v)| v)) {
                            out.absorb(v);
                        }
                        return Some(self.formatted(out, c.call.range(), "str.format()"));
                    }
                    "join" => {
                        let mut out = AVal::built();
                        for v in &c.args {
                            out.absorb(v);
                        }
                        // `"?".join([reverse(...), query])`: the first part fixes the origin.
                        if let Some(
                            Expr::List(ast::ExprList { elts, .. })
                            | Expr::Tuple(ast::ExprTuple { elts, .. }),
                        ) = c.call.arguments.args.first()
                            && let Some(first) = elts.first()
                        {
                            let v = self.eval(first);
                            out.anchored = starts_fixed(&v);
                        }
                        return Some(self.formatted(out, c.call.range(), "str.join()"));
                    }
                    _ => return Some(AVal::konst()),
                }
            }
            if !r.taint.is_empty() && PROPAGATING_METHODS.contains(&m) {
                let inner = c.receiver.map_or(c.call.range(), Ranged::range);
                return Some(AVal {
                    taint: self.refine(&r.taint, inner, c.call.range()),
                    anchored: r.anchored && matches!(m, "replace" | "rstrip" | "format"),
                    ..AVal::default()
                });
            }
            if !matches!(r.kind, Kind::Plain | Kind::Checked) {
                return Some(AVal::default());
            }
            if r.safe
                && matches!(
                    m,
                    "strip"
                        | "lstrip"
                        | "rstrip"
                        | "lower"
                        | "upper"
                        | "replace"
                        | "encode"
                        | "decode"
                        | "split"
                        | "splitlines"
                )
            {
                return Some(AVal::safe());
            }
        }
        None
    }

    /// Whether a method call encodes its receiver so no markup survives: `QueryDict.urlencode()`
    /// (percent-encoding), `s.replace("<", "&lt;")`, `s.translate(table)` with a table that
    /// maps `<`.
    pub(super) fn encodes(&self, m: &str, call: &'a ast::ExprCall) -> bool {
        match m {
            "urlencode" => true,
            "replace" => {
                let (Some(from), Some(to)) = (
                    call.arguments.args.first().and_then(string_literal),
                    call.arguments.args.get(1).and_then(string_literal),
                ) else {
                    return false;
                };
                from == "<" && !to.contains('<')
            }
            "translate" => {
                let Some(table) = call.arguments.args.first() else {
                    return false;
                };
                let text = match table {
                    Expr::Name(n) => self.module_value(n.id.as_str()),
                    other => Some(self.ix.text(self.file, other.range())),
                };
                text.is_some_and(|t| {
                    t.contains("'<'")
                        || t.contains("\"<\"")
                        || t.to_ascii_lowercase().contains("0x3c")
                })
            }
            _ => false,
        }
    }

    /// The source text of a module-level assignment `name = ...` in the current file.
    pub(super) fn module_value(&self, name: &str) -> Option<&'a str> {
        let parsed = self.ix.files[self.file].parsed?;
        parsed.module.body.iter().rev().find_map(|s| match s {
            Stmt::Assign(a)
                if a.targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
            {
                Some(self.ix.text(self.file, a.value.range()))
            }
            _ => None,
        })
    }

    /// `json.dumps(value, cls=Encoder)` where `Encoder` is a project class that escapes what it
    /// encodes (a method of it, or of a project base, calls an HTML escaper or replaces `<`).
    pub(super) fn escaping_encoder(&self, call: &'a ast::ExprCall) -> bool {
        let Some(cls) = call
            .arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "cls"))
        else {
            return false;
        };
        let Some(Def::Class(c)) = self.ix.resolve_def(self.file, &cls.value) else {
            return false;
        };
        self.ix.mro(c).into_iter().any(|c| {
            let class = &self.ix.classes[c];
            let text = self.ix.text(class.file, class.def.range());
            [
                "conditional_escape",
                "escapejs",
                "html.escape(",
                "replace('<'",
                "replace(\"<\"",
            ]
            .iter()
            .any(|e| text.contains(e))
        })
    }

    /// Calls that build a dict with known keys: `dict(k=v)`, `ctx.update(...)`,
    /// `ctx.setdefault("k", v)`, and `super().get_context_data(**kwargs)` (Django returns
    /// `kwargs` plus its own keys; a project base class adds the keys it sets).
    pub(super) fn dict_building(
        &mut self,
        method: Option<&'a str>,
        receiver: Option<&'a Expr>,
        call: &'a ast::ExprCall,
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) -> Option<AVal> {
        let from_kwargs = |out: &mut AVal| {
            for (k, v) in kws {
                match k {
                    Some(name) => set_key(out, name, v),
                    None => add_keys(out, v),
                }
            }
        };
        match (method, receiver) {
            (None, _) => {
                let Expr::Name(n) = &*call.func else {
                    return None;
                };
                if n.id.as_str() != "dict"
                    || self.ix.files[self.file].imports.binding("dict").is_some()
                {
                    return None;
                }
                let mut out = AVal::konst();
                out.keys = Some(Arc::default());
                if let Some(first) = args.first() {
                    out.taint.union(&first.taint);
                    out.konst &= first.konst;
                    add_keys(&mut out, first);
                }
                from_kwargs(&mut out);
                Some(out)
            }
            (Some("update" | "setdefault"), Some(Expr::Name(n))) => {
                let key = (n.id.as_str(), "");
                let mut obj = self.env.get(&key).cloned()?;
                obj.keys.as_ref()?;
                if method == Some("update") {
                    if let Some(first) = args.first() {
                        obj.taint.union(&first.taint);
                        obj.konst &= first.konst;
                        add_keys(&mut obj, first);
                    }
                    from_kwargs(&mut obj);
                } else if let (Some(k), Some(v)) = (
                    call.arguments.args.first().and_then(string_literal),
                    args.get(1),
                ) {
                    set_key(&mut obj, k, v);
                }
                self.set(key, obj);
                Some(AVal::default())
            }
            (Some("get_context_data"), Some(Expr::Call(sup))) if matches!(&*sup.func, Expr::Name(s) if s.id.as_str() == "super") =>
            {
                let mut out = AVal {
                    keys: Some(Arc::default()),
                    ..AVal::default()
                };
                from_kwargs(&mut out);
                // The parent class's own `get_context_data` in the project.
                let class = self.func.and_then(|f| self.ix.funcs[f].class)?;
                let parent = self
                    .ix
                    .mro(class)
                    .into_iter()
                    .skip(1)
                    .find_map(|c| self.ix.classes[c].methods.get("get_context_data").copied());
                if let Some(fid) = parent {
                    // Called like any project method: its keys, with what they derive from
                    // its parameters mapped through this call's arguments.
                    let from_parent = self.apply(fid, 1, call, args, kws);
                    add_keys(&mut out, &from_parent);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// `render(request, "t.html", ctx)` and its kin: remember what each known key of the
    /// context carries, for the template rules.
    pub(super) fn record_context(&mut self, qualname: Option<&str>, call: &'a ast::ExprCall) {
        let (name_at, ctx_at) = match qualname {
            Some("django.shortcuts.render" | "django.template.response.TemplateResponse") => (1, 2),
            Some(
                "django.template.loader.render_to_string" | "django.shortcuts.render_to_response",
            ) => (0, 1),
            _ => return,
        };
        let arg = |i: usize, kw: &str| {
            call.arguments.args.get(i).or_else(|| {
                call.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == kw))
                    .map(|k| &k.value)
            })
        };
        let Some(template) = arg(name_at, "template_name").and_then(|e| self.template_name(e))
        else {
            return;
        };
        let Some(ctx) = arg(ctx_at, "context") else {
            return;
        };
        let v = self.eval(ctx);
        if let Some(keys) = &v.keys {
            self.engine.record(template, keys);
        }
    }

    /// A template name: a literal, or `self.template_name` of a class-based view.
    pub(super) fn template_name(&self, e: &'a Expr) -> Option<&'a str> {
        if let Some(s) = string_literal(e) {
            return Some(s);
        }
        let Expr::Attribute(a) = e else {
            return None;
        };
        let class = self.func.and_then(|f| self.ix.funcs[f].class)?;
        if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self") {
            return None;
        }
        let (_, value) = self.ix.class_attr(class, a.attr.id.as_str())?;
        string_literal(value)
    }

    pub(super) fn form(
        &self,
        class: Option<ClassId>,
        args: &[AVal],
        kws: &[(Option<&str>, AVal)],
    ) -> AVal {
        let mut taint = Taint::default();
        if let Some(first) = args.first() {
            taint.union(&first.taint);
        }
        for (k, v) in kws {
            if matches!(k, Some("data") | Some("files")) {
                taint.union(&v.taint);
            }
        }
        AVal {
            taint,
            kind: Kind::Form(class),
            ..AVal::default()
        }
    }

    /// Apply a project function's summary at a call: its return value, and sinks its
    /// parameters reach.
    pub(super) fn apply(
        &mut self,
        callee: FuncId,
        offset: usize,
        call: &'a ast::ExprCall,
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) -> AVal {
        // A whole bound form or its `cleaned_data` handed to a project function: inside, the
        // form's field types are not known, so which field reaches a sink (a typed one, or
        // free text) is not proven.
        let whole_form = |v: &AVal| matches!(v.kind, Kind::Form(_) | Kind::CleanedData(_));
        let guess = |v: &AVal| {
            let mut v = v.clone();
            v.taint.source = v.taint.source.map(|f| Arc::new(f.guessed()));
            v
        };
        let args_g: Vec<AVal>;
        let kws_g: Vec<(Option<&'a str>, AVal)>;
        let (args, kws) = if args.iter().any(whole_form) || kws.iter().any(|(_, v)| whole_form(v)) {
            args_g = args
                .iter()
                .map(|v| if whole_form(v) { guess(v) } else { v.clone() })
                .collect();
            kws_g = kws
                .iter()
                .map(|(k, v)| (*k, if whole_form(v) { guess(v) } else { v.clone() }))
                .collect();
            (&args_g[..], &kws_g[..])
        } else {
            (args, kws)
        };
        let summary = self.engine.summary(callee);
        let f = &self.ix.funcs[callee];
        let params = param_list(f.def);
        let fname = f.def.name.as_str();
        let arg_for = |p: u16| -> Option<&AVal> {
            let p = usize::from(p);
            let name = params.get(p)?.name.as_str();
            if let Some((_, v)) = kws.iter().find(|(k, _)| *k == Some(name)) {
                return Some(v);
            }
            let positional = f.def.parameters.posonlyargs.len() + f.def.parameters.args.len();
            if p < positional && p >= offset {
                return args.get(p - offset);
            }
            None
        };
        let call_step = self.step(call.range(), format!("{fname}()"));
        let mut out = AVal {
            anchored: summary.returns_anchored
                && summary
                    .anchored_needs
                    .iter()
                    .all(|p| arg_for(*p).is_some_and(origin_safe)),
            safe: summary.returns_safe,
            ..AVal::default()
        };
        // A template filter's argument is a source inside the filter only: a direct caller
        // passes its own values, followed as parameters.
        if let Some(src) = &summary.returns.source
            && !src.weak
        {
            out.taint.source = Some(src.clone());
        }
        for (p, flow) in &summary.returns.params {
            if let Some(arg) = arg_for(*p)
                && !arg.taint.is_empty()
            {
                let t = arg.taint.with_step(&call_step).then(flow);
                out.taint.union(&t);
            }
        }
        if let Some(ks) = &summary.returns_keys {
            // A helper building a context: each key's value, its parameters replaced by the
            // arguments of this call.
            let mut keys = Vec::with_capacity(ks.len());
            for (k, v) in ks.iter() {
                let mut kv = AVal {
                    taint: Taint {
                        source: v.taint.source.clone(),
                        params: Vec::new(),
                    },
                    konst: v.konst,
                    safe: v.safe,
                    anchored: v.anchored,
                    ..AVal::default()
                };
                // The parameter itself, passed through untouched: constant or escaped as
                // the argument is.
                let bare = v.taint.source.is_none()
                    && v.taint.params.len() == 1
                    && v.taint.params[0].1.steps.len() == 1;
                if bare {
                    kv.konst = true;
                    kv.safe = true;
                }
                for (p, flow) in &v.taint.params {
                    match arg_for(*p) {
                        Some(arg) => {
                            kv.konst &= arg.konst;
                            kv.safe &= arg.safe || arg.konst;
                            if !arg.taint.is_empty() {
                                let t = arg.taint.with_step(&call_step).then(flow);
                                kv.taint.union(&t);
                            }
                        }
                        None => {
                            kv.konst = false;
                            kv.safe = false;
                        }
                    }
                }
                keys.push((k.clone(), kv));
            }
            out.keys = Some(Arc::new(keys));
        }
        // A validator that raises unless its argument passes: after the call, the argument
        // is checked.
        for p in &summary.checks {
            if let Some(key) = arg_expr(f.def, offset, call, *p).and_then(key_of) {
                self.set(key, Self::checked());
            }
        }
        for ps in &summary.param_sinks {
            let Some(arg) = arg_for(ps.param) else {
                continue;
            };
            if arg.taint.is_empty() {
                continue;
            }
            let t = arg.taint.with_step(&call_step).then(&ps.flow);
            if let Some(src) = &t.source {
                self.engine.emit(Event {
                    sink: ps.sink.clone(),
                    confidence: strength(src),
                    flow: Some(src.clone()),
                    what: "",
                    always: false,
                    tag: None,
                });
            }
            for (p, flow) in t.params {
                if self.param_sinks.len() < 256 {
                    self.param_sinks.push(ParamSink {
                        param: p,
                        flow,
                        sink: ps.sink.clone(),
                    });
                }
            }
        }
        out
    }

    pub(super) fn check_sink(
        &mut self,
        sink: &Sink,
        call: &'a ast::ExprCall,
        recv: (Option<&'a Expr>, Option<&AVal>),
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) {
        let mut combined = AVal::konst();
        combined.safe = true;
        let mut any = false;
        for r in &sink.args {
            let (expr, val) =
                match *r {
                    ArgRef::Receiver => recv,
                    ArgRef::Pos(i) => (call.arguments.args.get(i), args.get(i)),
                    ArgRef::Kw(name) => {
                        let k =
                            call.arguments.keywords.iter().position(|k| {
                                k.arg.as_ref().is_some_and(|a| a.id.as_str() == name)
                            });
                        (
                            k.map(|i| &call.arguments.keywords[i].value),
                            k.and_then(|i| kws.get(i)).map(|(_, v)| v),
                        )
                    }
                    ArgRef::PosOrKw(i, name) => match call.arguments.args.get(i) {
                        Some(e) => (Some(e), args.get(i)),
                        None => {
                            let k = call.arguments.keywords.iter().position(|k| {
                                k.arg.as_ref().is_some_and(|a| a.id.as_str() == name)
                            });
                            (
                                k.map(|i| &call.arguments.keywords[i].value),
                                k.and_then(|i| kws.get(i)).map(|(_, v)| v),
                            )
                        }
                    },
                };
            let (Some(expr), Some(val)) = (expr, val) else {
                continue;
            };
            if let Expr::Name(n) = expr
                && !val.taint.is_empty()
            {
                let checked = match sink.checked {
                    Checked::Redirect => self.checks().0.contains(n.id.as_str()),
                    Checked::Path => self.checks().1.contains(n.id.as_str()),
                    Checked::Nothing => false,
                };
                if checked {
                    continue;
                }
            }
            if sink.origin_only && val.anchored {
                continue;
            }
            any = true;
            // `f"{location}?next={q}"` with `location` a parameter: where the URL points is the
            // caller's argument's business (reported at a call passing request data for it),
            // not the request data after it.
            if sink.origin_only
                && let Some(p) = val.anchored_if
                && let Some(flow) = val.taint.params.iter().find(|(q, _)| *q == p)
            {
                combined.taint.params.push(flow.clone());
                combined.konst = false;
                combined.safe = false;
                continue;
            }
            combined.taint.union(&val.taint);
            combined.konst &= val.konst;
            combined.safe &= val.safe || val.konst;
            combined.formatted |= val.formatted;
        }
        if !any {
            return;
        }
        let site = Arc::new(SinkSite {
            rule: sink.rule,
            file: self.file,
            range: call.range(),
            name: sink.name.clone(),
            func: self.func,
            path: matches!(sink.checked, Checked::Path),
        });
        let sink_step = self.step(call.range(), sink.name.clone());
        let weak_tag = combined
            .taint
            .source
            .as_ref()
            .filter(|s| s.weak)
            .and_then(|s| s.tag);
        if let Some(src) = &combined.taint.source {
            self.engine.emit(Event {
                sink: site.clone(),
                confidence: strength(src),
                flow: Some(Arc::new(src.with(sink_step.clone()))),
                what: "",
                always: false,
                tag: None,
            });
            if !src.weak {
                return;
            }
        }
        for (p, flow) in &combined.taint.params {
            if self.param_sinks.len() < 256 {
                self.param_sinks.push(ParamSink {
                    param: *p,
                    flow: Arc::new(flow.with(sink_step.clone())),
                    sink: site.clone(),
                });
            }
        }
        let low = match sink.low {
            Low::Never => None,
            Low::Formatted if combined.formatted && !combined.safe => Some((
                Confidence::Low,
                "a string built by formatting non-constant values",
                false,
            )),
            Low::NonConstant if !combined.konst && !combined.safe => {
                Some((Confidence::Low, "a value that is not a constant", false))
            }
            Low::Always(c, what) => Some((c, what, true)),
            _ => None,
        };
        if let Some((confidence, what, always)) = low {
            self.engine.emit(Event {
                sink: site,
                confidence,
                flow: None,
                what,
                always,
                tag: weak_tag,
            });
        }
    }
}

/// A call with its parts evaluated (see `FnCx::call_parts`).
pub(super) struct CallParts<'a> {
    pub(super) call: &'a ast::ExprCall,
    pub(super) method: Option<&'a str>,
    pub(super) receiver: Option<&'a Expr>,
    pub(super) recv: Option<AVal>,
    pub(super) args: Vec<AVal>,
    pub(super) kws: Vec<(Option<&'a str>, AVal)>,
    pub(super) qualname: Option<String>,
}

/// Intersect a running set with the parameters valid at one more exit.
pub(super) fn intersect(acc: &mut Option<Vec<u16>>, now: &[u16]) {
    match acc {
        Some(a) => a.retain(|p| now.contains(p)),
        None => *acc = Some(now.to_vec()),
    }
}

/// The union (`all`) or the intersection of two key lists.
pub(super) fn combine<'a>(a: Vec<Key<'a>>, b: Vec<Key<'a>>, union: bool) -> Vec<Key<'a>> {
    if union {
        let mut out = a;
        for k in b {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    } else {
        a.into_iter().filter(|k| b.contains(k)).collect()
    }
}

/// The argument expression a call passes for parameter `p` of `def`, `offset` leading
/// parameters being filled implicitly.
pub(super) fn arg_expr<'e>(
    def: &ast::StmtFunctionDef,
    offset: usize,
    call: &'e ast::ExprCall,
    p: u16,
) -> Option<&'e Expr> {
    let p = usize::from(p);
    let params = param_list(def);
    let name = params.get(p)?.name.as_str();
    if let Some(k) = call
        .arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
    {
        return Some(&k.value);
    }
    let positional = def.parameters.posonlyargs.len() + def.parameters.args.len();
    if p < positional && p >= offset {
        return call.arguments.args.get(p - offset);
    }
    None
}

/// An element of a collection carries the collection's taint.
pub(super) fn element(v: &AVal) -> AVal {
    AVal {
        taint: v.taint.clone(),
        konst: v.konst,
        safe: v.safe,
        ..AVal::default()
    }
}

/// `self.x` / `obj.x` as an environment key.
pub(super) fn attr_key(expr: &Expr) -> Option<(&str, &str)> {
    match expr {
        Expr::Attribute(a) => match &*a.value {
            Expr::Name(n) => Some((n.id.as_str(), a.attr.id.as_str())),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn is_str(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(_) | Expr::FString(_))
}

pub fn string_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

pub(super) fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}
