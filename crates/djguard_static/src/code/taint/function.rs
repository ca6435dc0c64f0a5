//! One function (or module body) at a time: statements, guards and the branches they prove,
//! expressions, and calls split into named steps.

use super::*;
use crate::code::ids::FileId;

mod calls;
mod expressions;
mod guards;
mod statements;

/// What the environment binds: a local name (`q`) or an attribute of a local name
/// (`self.query`), borrowed from the tree so copying an environment at a branch allocates no
/// strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Key<'a> {
    Name(&'a str),
    Attr(&'a str, &'a str),
}
pub(super) type Env<'a> = FxHashMap<Key<'a>, AVal>;
/// What a branch left in the names it wrote.
pub(super) type Outcome<'a> = FxHashMap<Key<'a>, Option<AVal>>;

pub(super) struct FnCx<'e, 'x, 'a> {
    pub(super) engine: &'e Engine<'x, 'a>,
    pub(super) ix: &'x Index<'a>,
    pub(super) file: FileId,
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
        Expr::Name(n) => Some(Key::Name(n.id.as_str())),
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
    pub(super) fn new(engine: &'e Engine<'x, 'a>, file: FileId, func: Option<FuncId>) -> Self {
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
                self.env.get(&Key::Name(name)).is_some_and(|v| {
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
            facts: Facts::SAFE,
            ..AVal::default()
        }
    }

    /// Rebind the names a condition proved.
    pub(super) fn narrow(&mut self, keys: &[Key<'a>]) {
        for k in keys {
            self.set(*k, Self::checked());
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
        facts: v.facts & (Facts::CONST | Facts::SAFE),
        ..AVal::default()
    }
}

/// `self.x` / `obj.x` as an environment key.
pub(super) fn attr_key(expr: &Expr) -> Option<Key<'_>> {
    match expr {
        Expr::Attribute(a) => match &*a.value {
            Expr::Name(n) => Some(Key::Attr(n.id.as_str(), a.attr.id.as_str())),
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
