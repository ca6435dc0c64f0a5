//! The value lattice: a flow's steps, a taint (one proven source, the parameters it depends
//! on), the kind of object a value is, and the facts about a value (constant, escaped, built by
//! formatting, anchored as a URL, the known keys of a dict).

use super::*;
use crate::code::ids::FileId;

/// One step of a flow: where it happened and what it was.
#[derive(Clone, Debug)]
pub struct Step {
    pub file: FileId,
    pub range: TextRange,
    pub text: String,
}

/// A path from a source (or a parameter) through the steps that carried it.
#[derive(Clone, Debug, Default)]
pub struct Flow {
    pub steps: Vec<Step>,
    /// The source is data that may come from a user but is not proven to (the value a
    /// template filter receives): flows from it are medium confidence.
    pub weak: bool,
    /// The flow passed through an object that request data was stored into and left it by
    /// another attribute or a method (`obj.title = q; redirect(obj.get_absolute_url())`):
    /// what that attribute or method returns is not followed, so the flow is not proven.
    pub guessed: bool,
    /// For a weak source: the template filter or tag and the index of its parameter.
    pub tag: Option<(FuncId, u16)>,
}

/// Flows longer than this keep their first steps and the sink; the rest is elided.
pub(super) const MAX_STEPS: usize = 12;

impl Flow {
    /// A proven flow of one step.
    pub(super) fn start(step: Step) -> Flow {
        Flow {
            steps: vec![step],
            ..Flow::default()
        }
    }

    pub(super) fn with(&self, step: Step) -> Flow {
        let mut steps = self.steps.clone();
        // `a + b + c` is one concatenation, not one per operator.
        let repeat = steps.last().is_some_and(|l| {
            l.text == step.text && l.file == step.file && step.range.contains_range(l.range)
        });
        if repeat {
            if let Some(l) = steps.last_mut() {
                *l = step;
            }
        } else if steps.len() < MAX_STEPS {
            steps.push(step);
        }
        Flow {
            steps,
            weak: self.weak,
            guessed: self.guessed,
            tag: self.tag,
        }
    }

    pub(super) fn then(&self, tail: &Flow) -> Flow {
        let mut steps = self.steps.clone();
        for s in &tail.steps {
            if steps.len() >= MAX_STEPS {
                break;
            }
            steps.push(s.clone());
        }
        Flow {
            steps,
            weak: self.weak,
            guessed: self.guessed || tail.guessed,
            tag: self.tag,
        }
    }

    /// The same flow, no longer proven (see [`Flow::guessed`]).
    pub(super) fn guessed(&self) -> Flow {
        Flow {
            guessed: true,
            ..self.clone()
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Taint {
    /// A proven request source and how it got here.
    pub source: Option<Arc<Flow>>,
    /// Parameters of the function being analysed this value depends on.
    pub params: Vec<(u16, Arc<Flow>)>,
}

impl Taint {
    /// Request data first seen at `step`.
    pub(super) fn source(step: Step) -> Taint {
        Taint {
            source: Some(Arc::new(Flow::start(step))),
            params: Vec::new(),
        }
    }

    /// The value of parameter `index` of the function being analysed, first seen at `step`.
    pub(super) fn parameter(index: u16, step: Step) -> Taint {
        Taint {
            source: None,
            params: vec![(index, Arc::new(Flow::start(step)))],
        }
    }

    /// The same taint, its flows no longer proven (see [`Flow::guessed`]).
    pub(super) fn guessed(&self) -> Taint {
        Taint {
            source: self.source.as_ref().map(|f| Arc::new(f.guessed())),
            params: self
                .params
                .iter()
                .map(|(p, f)| (*p, Arc::new(f.guessed())))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.params.is_empty()
    }

    pub(super) fn union(&mut self, other: &Taint) {
        if self.source.is_none() {
            self.source.clone_from(&other.source);
        }
        for (p, f) in &other.params {
            if !self.params.iter().any(|(q, _)| q == p) {
                self.params.push((*p, f.clone()));
            }
        }
    }

    pub(super) fn with_step(&self, step: &Step) -> Taint {
        Taint {
            source: self.source.as_ref().map(|f| Arc::new(f.with(step.clone()))),
            params: self
                .params
                .iter()
                .map(|(p, f)| (*p, Arc::new(f.with(step.clone()))))
                .collect(),
        }
    }

    pub(super) fn then(&self, tail: &Flow) -> Taint {
        Taint {
            source: self.source.as_ref().map(|f| Arc::new(f.then(tail))),
            params: self
                .params
                .iter()
                .map(|(p, f)| (*p, Arc::new(f.then(tail))))
                .collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Plain,
    /// The `HttpRequest` (or DRF `Request`) of a view.
    Request,
    /// `self` in a method; `view` when the class is a class-based view.
    SelfOf { class: ClassId, view: bool },
    /// A form instance, with its class when it is a project class.
    Form(Option<ClassId>),
    /// `form.cleaned_data`.
    CleanedData(Option<ClassId>),
    /// `self.kwargs` of a class-based view: the URL arguments.
    UrlKwargs(ClassId),
    /// A sanitiser used as a value (`esc = conditional_escape if autoescape else str`).
    Sanitiser,
    /// The `autoescape` parameter of a `needs_autoescape` filter: true unless a template turns
    /// escaping off itself, so `if autoescape:` is taken as always holding.
    AutoEscape,
    /// A value a guard proved to be one of a fixed set or accepted by a validator
    /// (`if x in ALLOWED:`, `if url_has_allowed_host_and_scheme(x, ...):`).
    Checked,
    /// `request.FILES`.
    Files,
    /// An uploaded file (`request.FILES["f"]`): its `.name` is a base name.
    Upload,
}

bitflags::bitflags! {
    /// What is known about how a value was built. Each fact is a promise about the whole
    /// value, so it survives joining two values only when both sides keep it
    /// ([`Facts::join`]; a constant counts as safe there), except `FORMATTED`, which either
    /// side sets.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Facts: u8 {
        /// A literal constant (or built only from constants).
        const CONST = 1;
        /// Built by string formatting from at least one non-constant part.
        const FORMATTED = 1 << 1;
        /// The output of a sanitiser or escaper (or built only from those and constants).
        const SAFE = 1 << 2;
        /// The string starts with a constant that fixes where a URL points (`/path`, `?q=`,
        /// `https://host/`), or is the request's own path: a redirect or fetch to it stays
        /// on a known origin whatever follows.
        const ANCHORED = 1 << 3;
    }
}

impl Facts {
    /// These facts when `cond` holds, none otherwise.
    pub fn only_if(self, cond: bool) -> Facts {
        if cond { self } else { Facts::empty() }
    }

    /// Harmless to print in HTML: escaped, or a constant.
    pub fn harmless(self) -> bool {
        self.intersects(Facts::SAFE | Facts::CONST)
    }

    /// Keep `flag` only if `other` has it too (a value built on, constant while every part is).
    pub fn keep_if(&mut self, flag: Facts, other: Facts) {
        if !other.contains(flag) {
            self.remove(flag);
        }
    }

    /// A value built from parts goes on being constant while every part is, and safe while
    /// every part is harmless; what it says about formatting and origin the builder decides.
    pub fn absorb(&mut self, part: Facts) {
        self.set(
            Facts::CONST,
            self.contains(Facts::CONST) && part.contains(Facts::CONST),
        );
        self.set(Facts::SAFE, self.contains(Facts::SAFE) && part.harmless());
    }

    /// The facts of a value that is one of two (branches, loop iterations): constant only
    /// when both are, safe when both are harmless, formatted when either is. Anchoring
    /// depends on the taint too, so `AVal::join` decides it.
    pub fn join(&mut self, other: Facts) {
        let safe = self.harmless() && other.harmless();
        let konst = self.contains(Facts::CONST) && other.contains(Facts::CONST);
        let formatted = self.contains(Facts::FORMATTED) || other.contains(Facts::FORMATTED);
        self.set(Facts::SAFE, safe);
        self.set(Facts::CONST, konst);
        self.set(Facts::FORMATTED, formatted);
    }
}

/// The abstract value of an expression.
#[derive(Clone, Debug, Default)]
pub struct AVal {
    pub taint: Taint,
    pub kind: Kind,
    /// Constant, formatted, escaped, anchored as a URL.
    pub facts: Facts,
    /// Anchored when the argument for this parameter of the current function is (a URL built
    /// as `f"{base}{query}"` from a parameter `base`): decided at each call.
    pub anchored_if: Option<u16>,
    /// A dict with these literal string keys (a template context being built): what each
    /// key holds. Other keys may exist; only these are known.
    pub keys: Option<Arc<Vec<(String, AVal)>>>,
}

/// A dict built in one function holds at most this many tracked keys.
pub(super) const MAX_KEYS: usize = 64;

/// Set `key` of a dict value to `v` (tracked keys only; the dict's taint includes it).
pub(super) fn set_key(obj: &mut AVal, key: &str, v: &AVal) {
    obj.taint.union(&v.taint);
    obj.facts.absorb(v.facts);
    let keys = Arc::make_mut(obj.keys.get_or_insert_with(Default::default));
    if let Some(i) = keys.iter().position(|(k, _)| k == key) {
        keys[i].1 = strip_keys(v);
    } else if keys.len() < MAX_KEYS {
        keys.push((key.to_string(), strip_keys(v)));
    }
}

/// Add the tracked keys of `other` (a `**other` or an `update(other)`) to `obj`.
pub(super) fn add_keys(obj: &mut AVal, other: &AVal) {
    if let Some(ks) = &other.keys {
        for (k, v) in ks.iter() {
            set_key(obj, k, v);
        }
    }
}

/// A key's value without nested keys: contexts are tracked one level deep, so values stay
/// small whatever the code builds.
pub(super) fn strip_keys(v: &AVal) -> AVal {
    AVal {
        keys: None,
        ..v.clone()
    }
}

/// Join two dicts' tracked keys: a key either side knows, its value joined where both do.
pub(super) fn join_keys(
    a: &mut Option<Arc<Vec<(String, AVal)>>>,
    b: &Option<Arc<Vec<(String, AVal)>>>,
) {
    let Some(bk) = b else {
        return;
    };
    let Some(ak) = a else {
        *a = Some(bk.clone());
        return;
    };
    if Arc::ptr_eq(ak, bk) {
        return;
    }
    let ak = Arc::make_mut(ak);
    for (k, v) in bk.iter() {
        if let Some(i) = ak.iter().position(|(x, _)| x == k) {
            ak[i].1.join(v);
        } else if ak.len() < MAX_KEYS {
            ak.push((k.clone(), v.clone()));
        }
    }
}

/// A URL string whose beginning fixes its origin: a path (`/x`, not `//host`), a query or
/// fragment, or `scheme://host/`.
pub fn fixed_origin(s: &str) -> bool {
    if s.starts_with('?') || s.starts_with('#') {
        return true;
    }
    if let Some(rest) = s.strip_prefix('/') {
        // `/x` is a path on this site; `/` alone is not (`"/" + "/evil.com"`), nor `//host`.
        return rest.chars().next().is_some_and(|c| c != '/' && c != '\\');
    }
    match s.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+')
                && rest
                    .find('/')
                    .is_some_and(|i| i > 0 && !rest[..i].contains(['@', '{', '%']))
        }
        None => false,
    }
}

/// Whether a value at the start of a URL leaves its origin out of the client's hands: not
/// request data, or request data that is itself anchored.
pub(super) fn origin_safe(v: &AVal) -> bool {
    v.is_anchored() || v.taint.source.is_none() && v.taint.params.is_empty()
}

/// Whether a value at the start of a URL fixes where it points: anchored, or a value the
/// code computed itself (a setting, `reverse()`), but not a constant that fixes nothing (`""`).
pub(super) fn starts_fixed(v: &AVal) -> bool {
    v.is_anchored() || (v.taint.source.is_none() && v.taint.params.is_empty() && !v.is_const())
}

/// A formatted string starting with the constant `prefix` and then (when there is one) a value
/// whose origin-safety is `first`.
pub(super) fn anchored_start(prefix: &str, first: Option<bool>) -> bool {
    if fixed_origin(prefix) {
        return true;
    }
    // `"%s%s" % (host, path)`, `f"https://{host}/{path}"`: the first value decides the origin.
    let at_start = prefix.is_empty()
        || prefix.strip_suffix("://").is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
        });
    at_start && first == Some(true)
}

/// A URL built from parts that starts with a parameter of the current function
/// (`f"{base}{query}"`, `"https://%s/" % (host,)`): anchored whenever the argument for that
/// parameter is, which each call decides.
pub(super) fn anchor_param(prefix: &str, first: Option<&AVal>) -> Option<u16> {
    let at_start = prefix.is_empty()
        || prefix.strip_suffix("://").is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
        });
    let v = first?;
    if !at_start || v.is_anchored() {
        return None;
    }
    if v.anchored_if.is_some() {
        return v.anchored_if;
    }
    match (&v.taint.source, v.taint.params.as_slice()) {
        (None, [(p, _)]) => Some(*p),
        _ => None,
    }
}

/// The constant text an f-string starts with.
pub(super) fn fstring_prefix(f: &ast::ExprFString) -> String {
    let mut p = String::new();
    for part in f.value.iter() {
        match part {
            ast::FStringPart::Literal(l) => p.push_str(&l.value),
            ast::FStringPart::FString(fs) => {
                for el in &fs.elements {
                    match el {
                        ast::InterpolatedStringElement::Literal(l) => p.push_str(&l.value),
                        ast::InterpolatedStringElement::Interpolation(_) => return p,
                    }
                }
            }
        }
    }
    p
}

impl AVal {
    /// A value with these facts and nothing else known.
    pub(super) fn with(facts: Facts) -> AVal {
        AVal {
            facts,
            ..AVal::default()
        }
    }

    pub(super) fn konst() -> AVal {
        AVal::with(Facts::CONST)
    }

    /// The start of a value built from parts (a string, a collection): constant and safe
    /// until a part says otherwise.
    pub(super) fn built() -> AVal {
        AVal::with(Facts::CONST | Facts::SAFE)
    }

    /// Add a part to a built value: its taint, and whether it is constant and safe.
    pub(super) fn absorb(&mut self, part: &AVal) {
        self.taint.union(&part.taint);
        self.facts.absorb(part.facts);
    }

    pub(super) fn safe() -> AVal {
        AVal::with(Facts::SAFE)
    }

    pub fn is_const(&self) -> bool {
        self.facts.contains(Facts::CONST)
    }

    pub fn is_formatted(&self) -> bool {
        self.facts.contains(Facts::FORMATTED)
    }

    pub fn is_safe(&self) -> bool {
        self.facts.contains(Facts::SAFE)
    }

    pub fn is_anchored(&self) -> bool {
        self.facts.contains(Facts::ANCHORED)
    }

    /// Harmless to print in HTML: escaped, or a constant.
    pub fn harmless(&self) -> bool {
        self.facts.harmless()
    }

    pub(super) fn join(&mut self, other: &AVal) {
        let anchored = origin_safe(self) && origin_safe(other);
        self.taint.union(&other.taint);
        if self.kind == Kind::Plain {
            self.kind = other.kind;
        }
        self.facts.join(other.facts);
        self.facts.set(Facts::ANCHORED, anchored);
        if self.anchored_if != other.anchored_if {
            self.anchored_if = None;
        }
        join_keys(&mut self.keys, &other.keys);
    }
}

#[cfg(test)]
mod facts_tests {
    use super::Facts;

    #[test]
    fn join_keeps_a_fact_only_when_both_sides_promise_it() {
        // A constant on one branch and escaped output on the other: safe, not constant.
        let mut f = Facts::CONST;
        f.join(Facts::SAFE);
        assert_eq!(f, Facts::SAFE);
        // Formatting on either branch marks the join formatted.
        let mut f = Facts::CONST;
        f.join(Facts::FORMATTED);
        assert_eq!(f, Facts::FORMATTED);
        // Two constants: constant, and harmless so marked safe. Anchoring is left as it was
        // (AVal::join decides it with the taint).
        let mut f = Facts::ANCHORED | Facts::CONST;
        f.join(Facts::CONST);
        assert_eq!(f, Facts::ANCHORED | Facts::CONST | Facts::SAFE);
    }

    #[test]
    fn absorb_stays_constant_and_safe_only_while_every_part_is() {
        let mut f = Facts::CONST | Facts::SAFE;
        f.absorb(Facts::CONST);
        assert_eq!(f, Facts::CONST | Facts::SAFE);
        f.absorb(Facts::SAFE);
        assert_eq!(f, Facts::SAFE);
        f.absorb(Facts::empty());
        assert_eq!(f, Facts::empty());
    }
}
