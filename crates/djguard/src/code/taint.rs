//! The taint engine: an abstract interpretation of every function body that tracks which
//! values carry request data, from where, and through which operations.
//!
//! * **Values.** Each expression evaluates to an [`AVal`]: its taint (at most one proven
//!   request source, plus the parameters of the current function it depends on), what kind of
//!   object it is when that matters (the request, `self` of a view, a form, a form's
//!   `cleaned_data`), and whether it is a constant, built by string formatting, or sanitised.
//! * **Statements.** Assignments bind names (and `self.attr`); the branches of `if`/`try`/loops
//!   are analysed from the same state and joined (union of taints), so a value tainted on any
//!   path stays tainted.
//! * **Functions.** Each project function is analysed once into a [`Summary`]: which parameters
//!   flow to its return value, and which reach a sink inside it (or inside functions it calls).
//!   A call to a project function applies the callee's summary, so request data passed to a
//!   helper in another module is followed into it. Summaries are computed on demand; a
//!   recursive cycle sees an empty summary for the function being analysed.
//! * **Sinks** come from the rule modules (`rules::code`): each taint rule says which calls are
//!   its sinks and which arguments matter. A sink reached by a request source is a
//!   high-confidence event with the whole flow; some rules also report a non-constant
//!   argument with no proven source, at low confidence.
//!
//! Written by hand: no Rust crate analyses Python data flow; the parser is Ruff's.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::code::index::{ClassId, Def, FuncId, Index};
use crate::finding::Confidence;
use crate::python::ast::{self, Expr, Stmt};
use crate::python::{Ranged, TextRange};
use crate::rules::RuleMeta;
use crate::rules::code::{ArgRef, CallSite, Checked, Low, Sink};

/// What the project's templates pass for an argument of a filter or tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TemplateUse {
    /// Some template passes a variable.
    Fed,
    /// Every template that uses it passes a literal (or leaves the default).
    Literal,
    /// No template uses the filter or tag.
    Unused,
}

/// One step of a flow: where it happened and what it was.
#[derive(Clone, Debug)]
pub struct Step {
    pub file: usize,
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
const MAX_STEPS: usize = 12;

impl Flow {
    fn with(&self, step: Step) -> Flow {
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

    fn then(&self, tail: &Flow) -> Flow {
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
    fn guessed(&self) -> Flow {
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
    fn source(step: Step) -> Taint {
        Taint {
            source: Some(Arc::new(Flow {
                steps: vec![step],
                weak: false,
                guessed: false,
                tag: None,
            })),
            params: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.params.is_empty()
    }

    fn union(&mut self, other: &Taint) {
        if self.source.is_none() {
            self.source.clone_from(&other.source);
        }
        for (p, f) in &other.params {
            if !self.params.iter().any(|(q, _)| q == p) {
                self.params.push((*p, f.clone()));
            }
        }
    }

    fn with_step(&self, step: &Step) -> Taint {
        Taint {
            source: self.source.as_ref().map(|f| Arc::new(f.with(step.clone()))),
            params: self
                .params
                .iter()
                .map(|(p, f)| (*p, Arc::new(f.with(step.clone()))))
                .collect(),
        }
    }

    fn then(&self, tail: &Flow) -> Taint {
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

/// The abstract value of an expression.
#[derive(Clone, Debug, Default)]
pub struct AVal {
    pub taint: Taint,
    pub kind: Kind,
    /// A literal constant (or built only from constants).
    pub konst: bool,
    /// Built by string formatting from at least one non-constant part.
    pub formatted: bool,
    /// The output of a sanitiser or escaper (or built only from those and constants).
    pub safe: bool,
    /// The string starts with a constant that fixes where a URL points (`/path`, `?q=`,
    /// `https://host/`), or is the request's own path: a redirect or fetch to it stays on a
    /// known origin whatever follows.
    pub anchored: bool,
    /// Anchored when the argument for this parameter of the current function is (a URL built
    /// as `f"{base}{query}"` from a parameter `base`): decided at each call.
    pub anchored_if: Option<u16>,
    /// A dict with these literal string keys (a template context being built): what each
    /// key holds. Other keys may exist; only these are known.
    pub keys: Option<Arc<Vec<(String, AVal)>>>,
}

/// A dict built in one function holds at most this many tracked keys.
const MAX_KEYS: usize = 64;

/// Set `key` of a dict value to `v` (tracked keys only; the dict's taint includes it).
fn set_key(obj: &mut AVal, key: &str, v: &AVal) {
    obj.taint.union(&v.taint);
    obj.konst &= v.konst;
    obj.safe &= v.safe || v.konst;
    let keys = Arc::make_mut(obj.keys.get_or_insert_with(Default::default));
    if let Some(i) = keys.iter().position(|(k, _)| k == key) {
        keys[i].1 = strip_keys(v);
    } else if keys.len() < MAX_KEYS {
        keys.push((key.to_string(), strip_keys(v)));
    }
}

/// Add the tracked keys of `other` (a `**other` or an `update(other)`) to `obj`.
fn add_keys(obj: &mut AVal, other: &AVal) {
    if let Some(ks) = &other.keys {
        for (k, v) in ks.iter() {
            set_key(obj, k, v);
        }
    }
}

/// A key's value without nested keys: contexts are tracked one level deep, so values stay
/// small whatever the code builds.
fn strip_keys(v: &AVal) -> AVal {
    AVal {
        keys: None,
        ..v.clone()
    }
}

/// Join two dicts' tracked keys: a key either side knows, its value joined where both do.
fn join_keys(a: &mut Option<Arc<Vec<(String, AVal)>>>, b: &Option<Arc<Vec<(String, AVal)>>>) {
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
fn origin_safe(v: &AVal) -> bool {
    v.anchored || v.taint.source.is_none() && v.taint.params.is_empty()
}

/// Whether a value at the start of a URL fixes where it points: anchored, or a value the
/// code computed itself (a setting, `reverse()`), but not a constant that fixes nothing (`""`).
fn starts_fixed(v: &AVal) -> bool {
    v.anchored || (v.taint.source.is_none() && v.taint.params.is_empty() && !v.konst)
}

/// A formatted string starting with the constant `prefix` and then (when there is one) a value
/// whose origin-safety is `first`.
fn anchored_start(prefix: &str, first: Option<bool>) -> bool {
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
fn anchor_param(prefix: &str, first: Option<&AVal>) -> Option<u16> {
    let at_start = prefix.is_empty()
        || prefix.strip_suffix("://").is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
        });
    let v = first?;
    if !at_start || v.anchored {
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
fn fstring_prefix(f: &ast::ExprFString) -> String {
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
    fn konst() -> AVal {
        AVal {
            konst: true,
            ..AVal::default()
        }
    }

    /// The start of a value built from parts (a string, a collection): constant and safe
    /// until a part says otherwise.
    fn built() -> AVal {
        AVal {
            konst: true,
            safe: true,
            ..AVal::default()
        }
    }

    /// Add a part to a built value: its taint, and whether it is constant and safe.
    fn absorb(&mut self, part: &AVal) {
        self.taint.union(&part.taint);
        self.konst &= part.konst;
        self.safe &= part.safe || part.konst;
    }

    fn safe() -> AVal {
        AVal {
            safe: true,
            ..AVal::default()
        }
    }

    fn join(&mut self, other: &AVal) {
        let anchored = origin_safe(self) && origin_safe(other);
        self.taint.union(&other.taint);
        if self.kind == Kind::Plain {
            self.kind = other.kind;
        }
        // Either escaped or constant on each side: harmless to mark safe.
        self.safe = (self.safe || self.konst) && (other.safe || other.konst);
        self.konst &= other.konst;
        self.formatted |= other.formatted;
        self.anchored = anchored;
        if self.anchored_if != other.anchored_if {
            self.anchored_if = None;
        }
        join_keys(&mut self.keys, &other.keys);
    }
}

/// A sink reached inside a function; reported where it is, with the rule's wording.
#[derive(Clone, Debug)]
pub struct SinkSite {
    pub rule: &'static RuleMeta,
    pub file: usize,
    pub range: TextRange,
    pub name: String,
    pub func: Option<FuncId>,
    /// A file path sink: the request's own path reaching it went through the URL pattern
    /// that routed the request, which djguard does not read (see [`route_bound`]).
    pub path: bool,
}

#[derive(Clone, Debug)]
pub struct ParamSink {
    pub param: u16,
    pub flow: Arc<Flow>,
    pub sink: Arc<SinkSite>,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub returns: Taint,
    /// Every tainted return value is anchored (see [`AVal::anchored`]).
    pub returns_anchored: bool,
    pub param_sinks: Vec<ParamSink>,
    /// The function returns a dict with these known keys (a context builder,
    /// `get_context_data`, an inclusion tag).
    pub returns_keys: Option<Arc<Vec<(String, AVal)>>>,
    /// Every return value is escaped or constant (an encoder: `s.replace("<", "\\u003c")`).
    pub returns_safe: bool,
    /// Tainted return values are anchored when the arguments for these parameters are
    /// (see [`AVal::anchored_if`]).
    pub anchored_needs: Vec<u16>,
    /// Parameters the function validates: whenever it returns a true value, they passed a
    /// check (`return url_has_allowed_host_and_scheme(url, ...)`, `return lang in LANGS`,
    /// `if x in ALLOWED: return True`).
    pub validates: Vec<u16>,
    /// Parameters checked on every normal return: the function raises (or never returns)
    /// unless they pass a check (`if not ok(x): raise ValidationError(...)`).
    pub checks: Vec<u16>,
}

/// What the engine reports to the taint rules.
#[derive(Clone, Debug)]
pub struct Event {
    pub sink: Arc<SinkSite>,
    pub confidence: Confidence,
    /// The proven flow (high confidence) from the source to the sink.
    pub flow: Option<Arc<Flow>>,
    /// For unproven reports: what kind of argument made the call suspicious.
    pub what: &'static str,
    /// `what` is a whole sentence tail (the API is unsafe whatever its input).
    pub always: bool,
    /// An unproven report whose value holds a template filter's or tag's argument.
    pub tag: Option<(FuncId, u16)>,
}

pub struct Engine<'x, 'a> {
    ix: &'x Index<'a>,
    summaries: RefCell<HashMap<FuncId, Arc<Summary>>>,
    in_progress: RefCell<HashSet<FuncId>>,
    events: RefCell<Vec<Event>>,
    contexts: RefCell<Vec<ContextVar>>,
}

/// A key of the context a view renders a template with (`render(request, "t.html",
/// {"q": q})`): the template, the key, and where its value comes from.
#[derive(Clone, Debug)]
pub struct ContextVar {
    pub template: String,
    pub key: String,
    /// The request source the value carries, if any.
    pub source: Option<Arc<Flow>>,
    /// The value is a constant.
    pub konst: bool,
    /// The value is escaped HTML (marking it safe is harmless).
    pub escaped: bool,
    /// As a URL, the value stays on a known origin (see [`AVal::anchored`]).
    pub anchored: bool,
}

/// Attributes of the request that hold client-controlled data.
const REQUEST_SOURCES: &[&str] = &[
    "GET",
    "POST",
    "FILES",
    "COOKIES",
    "META",
    "headers",
    "body",
    "data",
    "query_params",
    "path",
    "path_info",
    "content_params",
    "stream",
];

/// Methods of the request that return client-controlled data.
const REQUEST_SOURCE_METHODS: &[&str] = &[
    "get_full_path",
    "get_full_path_info",
    "build_absolute_uri",
    "read",
    "readline",
    "readlines",
    "get_signed_cookie",
];

/// Calls whose result carries no request data whatever their input: casts, escapers,
/// validators and quoting.
const SANITISERS: &[&str] = &[
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.len",
    "builtins.abs",
    "builtins.round",
    "builtins.hash",
    "builtins.isinstance",
    "uuid.UUID",
    "decimal.Decimal",
    "django.utils.html.escape",
    "django.utils.html.conditional_escape",
    "django.utils.html.format_html",
    "django.utils.html.format_html_join",
    "django.utils.html.strip_tags",
    "django.utils.html.json_script",
    "django.utils.html.escapejs",
    "django.utils.html.urlize",
    "django.template.loader.render_to_string",
    "django.shortcuts.render",
    "django.template.defaultfilters.escape",
    "django.template.defaultfilters.force_escape",
    "django.utils.text.slugify",
    "django.utils.text.get_valid_filename",
    "django.utils._os.safe_join",
    "django.urls.reverse",
    "django.urls.reverse_lazy",
    "django.shortcuts.resolve_url",
    "shlex.quote",
    "pipes.quote",
    "os.path.basename",
    "posixpath.basename",
    "html.escape",
    "markupsafe.escape",
    "bleach.clean",
    "nh3.clean",
    "urllib.parse.quote",
    "urllib.parse.quote_plus",
    "urllib.parse.urlencode",
    "django.utils.http.urlencode",
    "django.utils.http.url_has_allowed_host_and_scheme",
    "django.utils.http.is_safe_url",
    "django.db.models.Value",
    "django.shortcuts.get_object_or_404",
    "django.shortcuts.get_list_or_404",
];

/// Calls whose result carries the request data of their arguments.
const PROPAGATORS: &[&str] = &[
    "builtins.str",
    "builtins.repr",
    "builtins.bytes",
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.sorted",
    "builtins.reversed",
    "builtins.format",
    "builtins.next",
    "builtins.iter",
    "builtins.min",
    "builtins.max",
    "os.path.join",
    "os.path.normpath",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.expanduser",
    "os.fspath",
    "posixpath.join",
    "pathlib.Path",
    "pathlib.PurePath",
    "urllib.parse.unquote",
    "urllib.parse.unquote_plus",
    "urllib.parse.urljoin",
    "urllib.parse.urlparse",
    "urllib.parse.urlsplit",
    "urllib.parse.parse_qs",
    "urllib.parse.parse_qsl",
    "json.loads",
    "json.dumps",
    "base64.b64decode",
    "base64.urlsafe_b64decode",
    "base64.b64encode",
    "codecs.decode",
    "copy.copy",
    "copy.deepcopy",
    "textwrap.dedent",
    "django.utils.encoding.force_str",
    "django.utils.encoding.smart_str",
    "django.utils.encoding.force_bytes",
    "django.utils.encoding.smart_bytes",
    "django.utils.http.urlsafe_base64_decode",
    "django.utils.functional.lazy",
    "io.BytesIO",
    "io.StringIO",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Sanitiser,
    Propagator,
}

/// Whether a callee spelled `name` can be a sink, sanitiser or propagator.
fn interesting_name(name: &str) -> bool {
    static NAMES: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut set: rustc_hash::FxHashSet<&'static str> = SANITISERS
                .iter()
                .chain(PROPAGATORS)
                .map(|q| q.rsplit('.').next().unwrap_or(q))
                .collect();
            for rule in crate::rules::code::TAINT_RULES {
                set.extend(rule.names.iter().copied());
            }
            set
        })
        .contains(name)
}

/// Whether a qualified name is a sanitiser or a propagator (one hash lookup per call).
fn known(q: &str) -> Option<Known> {
    static TABLE: std::sync::OnceLock<FxHashMap<&'static str, Known>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut m = FxHashMap::default();
            for s in SANITISERS {
                m.insert(*s, Known::Sanitiser);
            }
            for p in PROPAGATORS {
                m.insert(*p, Known::Propagator);
            }
            m
        })
        .get(q)
        .copied()
}

/// Methods whose result carries the data of a tainted receiver: string, bytes, mapping
/// (`QueryDict`), list and file methods. Other methods on a tainted object (a model looked
/// up by a URL argument, a backend chosen by name) return the object's own data.
const PROPAGATING_METHODS: &[&str] = &[
    "get",
    "getlist",
    "items",
    "values",
    "keys",
    "lists",
    "dict",
    "copy",
    "pop",
    "setdefault",
    "popitem",
    "capitalize",
    "casefold",
    "center",
    "encode",
    "decode",
    "expandtabs",
    "format",
    "format_map",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
    "hex",
    "read",
    "readline",
    "readlines",
    "chunks",
    "__getitem__",
    "getvalue",
    "as_posix",
    "resolve",
    "absolute",
    "joinpath",
    "with_name",
    "with_suffix",
    "expanduser",
];

/// Form fields whose cleaned value cannot carry markup, SQL or a path.
const TYPED_FIELDS: &[&str] = &[
    "IntegerField",
    "FloatField",
    "DecimalField",
    "BooleanField",
    "NullBooleanField",
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
    "UUIDField",
    "ChoiceField",
    "TypedChoiceField",
    "MultipleChoiceField",
    "TypedMultipleChoiceField",
    "ModelChoiceField",
    "ModelMultipleChoiceField",
    "SlugField",
    "GenericIPAddressField",
];

impl<'x, 'a> Engine<'x, 'a> {
    pub fn new(ix: &'x Index<'a>) -> Self {
        Engine {
            ix,
            summaries: RefCell::new(HashMap::default()),
            in_progress: RefCell::new(HashSet::default()),
            events: RefCell::new(Vec::new()),
            contexts: RefCell::new(Vec::new()),
        }
    }

    /// Analyse every function and module body; the events, deduplicated per sink (the
    /// strongest wins).
    pub fn run(self) -> (Vec<Event>, Vec<ContextVar>) {
        for fid in 0..self.ix.funcs.len() {
            self.summary(fid);
        }
        self.record_declared_contexts();
        for file in 0..self.ix.files.len() {
            if let Some(p) = self.ix.files[file].parsed {
                let mut cx = FnCx::new(&self, file, None);
                cx.walk_body(&p.module.body);
            }
        }
        let mut events = std::mem::take(&mut *self.events.borrow_mut());
        // A filter's or tag's argument is template data only where some template passes a
        // variable for it: flows from arguments every template fixes are dropped.
        if events
            .iter()
            .any(|e| e.tag.is_some() || e.flow.as_ref().is_some_and(|f| f.tag.is_some()))
        {
            // Only the names these filters and tags are registered under are looked for.
            let mut names: Vec<String> = Vec::new();
            for e in &events {
                for (fid, _) in [e.flow.as_ref().and_then(|f| f.tag), e.tag]
                    .into_iter()
                    .flatten()
                {
                    let f = &self.ix.funcs[fid];
                    names.push(f.def.name.to_string());
                    for d in &f.def.decorator_list {
                        if let Expr::Call(c) = &d.expression {
                            let args = c.arguments.args.iter();
                            let kws = c.arguments.keywords.iter().map(|k| &k.value);
                            names.extend(
                                args.chain(kws).filter_map(string_literal).map(String::from),
                            );
                        }
                    }
                }
            }
            // Inclusion tags too: a variable their templates pass on is fed where they are.
            for f in &self.ix.funcs {
                for d in &f.def.decorator_list {
                    if let Expr::Call(c) = &d.expression
                        && self
                            .ix
                            .text(f.file, c.func.range())
                            .ends_with(".inclusion_tag")
                    {
                        names.push(f.def.name.to_string());
                        if let Some(n) = c
                            .arguments
                            .find_keyword("name")
                            .and_then(|k| string_literal(&k.value))
                        {
                            names.push(n.to_string());
                        }
                    }
                }
            }
            names.sort();
            names.dedup();
            let uses = crate::code::tags::Uses::scan(self.ix.project, &names);
            events.retain(|e| {
                if let Some((fid, param)) = e.flow.as_ref().and_then(|f| f.tag) {
                    return self.template_use(&uses, fid, param) == TemplateUse::Fed;
                }
                // A non-constant value that is a template argument: unknown unless every
                // template passes a literal there.
                if let Some((fid, param)) = e.tag {
                    return self.template_use(&uses, fid, param) != TemplateUse::Literal;
                }
                true
            });
        }
        // The strongest event per (rule, sink) survives.
        events.sort_by(|a, b| {
            (a.sink.rule.id, a.sink.file, a.sink.range.start())
                .cmp(&(b.sink.rule.id, b.sink.file, b.sink.range.start()))
                .then(b.confidence.cmp(&a.confidence))
        });
        events.dedup_by(|b, a| {
            a.sink.rule.id == b.sink.rule.id
                && a.sink.file == b.sink.file
                && a.sink.range == b.sink.range
        });
        (events, self.contexts.into_inner())
    }

    fn summary(&self, fid: FuncId) -> Arc<Summary> {
        if let Some(s) = self.summaries.borrow().get(&fid) {
            return s.clone();
        }
        if !self.in_progress.borrow_mut().insert(fid) {
            return Arc::new(Summary::default());
        }
        let s = Arc::new(self.analyse(fid));
        self.in_progress.borrow_mut().remove(&fid);
        self.summaries.borrow_mut().insert(fid, s.clone());
        s
    }

    fn analyse(&self, fid: FuncId) -> Summary {
        let f = &self.ix.funcs[fid];
        let mut cx = FnCx::new(self, f.file, Some(fid));
        let params = param_list(f.def);
        let decorated = |name: &str| {
            f.def
                .decorator_list
                .iter()
                .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name))
        };
        let has_self = f.class.is_some() && !decorated("staticmethod");
        let view_class = f.class.is_some_and(|c| self.ix.is_view_class(c));
        let first = usize::from(has_self);
        let request_first = params
            .get(first)
            .is_some_and(|p| p.name.as_str() == "request");
        let is_view = request_first || view_class;
        // `@register.filter` / `@register.simple_tag`: templates call it with whatever the
        // context holds, possibly user data.
        let template_function = f.def.decorator_list.iter().any(|d| {
            let text = self.ix.text(f.file, d.expression.range());
            text.starts_with("register.filter")
                || text.starts_with("register.simple_tag")
                || text.starts_with("register.inclusion_tag")
                || text.ends_with("stringfilter")
        });
        // Extra parameters of a view are URL arguments when the URL resolver calls it: it is
        // routed, a class-based view's method, or no project code calls it.
        let handler = matches!(
            f.def.name.as_str(),
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options"
        );
        let fname = f.def.name.as_str();
        // Hooks Django calls itself (middleware, a class's own protocol) take no URL arguments.
        let hook = fname.starts_with("process_") || fname.starts_with("__");
        let url_args = is_view
            && ((view_class && handler)
                || self.ix.is_routed(Def::Func(fid))
                || (!hook && !self.ix.called_names.contains(f.def.name.as_str())));
        let mut tracked: Vec<(u16, &str)> = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let name = p.name.as_str();
            let idx = u16::try_from(i).unwrap_or(u16::MAX);
            let val = if has_self && i == 0 {
                match (f.class, decorated("classmethod")) {
                    (Some(class), false) => AVal {
                        kind: Kind::SelfOf {
                            class,
                            view: view_class,
                        },
                        ..AVal::default()
                    },
                    _ => AVal::default(),
                }
            } else if view_class
                && ((matches!(fname, "form_valid" | "form_invalid") && name == "form")
                    || (matches!(fname, "perform_create" | "perform_update")
                        && name == "serializer"))
            {
                // Django's FormView and DRF's generic views pass the bound form or serializer,
                // filled from the request.
                AVal {
                    taint: Taint::source(Step {
                        file: f.file,
                        range: p.range(),
                        text: format!("`{name}` of {fname}() (request data)"),
                    }),
                    kind: Kind::Form(f.class.and_then(|c| self.form_class_of(c))),
                    ..AVal::default()
                }
            } else if template_function && name == "autoescape" {
                AVal {
                    kind: Kind::AutoEscape,
                    ..AVal::default()
                }
            } else if template_function && name != "context" {
                // What a template passes in (maybe a user's data), and for direct Python
                // callers an ordinary parameter: the weak source stays inside the function.
                tracked.push((idx, name));
                AVal {
                    taint: Taint {
                        source: Some(Arc::new(Flow {
                            steps: vec![Step {
                                file: f.file,
                                range: p.range(),
                                text: format!("argument `{name}` of template filter {fname}()"),
                            }],
                            weak: true,
                            guessed: false,
                            tag: Some((fid, idx)),
                        })),
                        params: vec![(
                            idx,
                            Arc::new(Flow {
                                steps: vec![Step {
                                    file: f.file,
                                    range: p.range(),
                                    text: format!("parameter `{name}` of {fname}()"),
                                }],
                                weak: false,
                                guessed: false,
                                tag: None,
                            }),
                        )],
                    },
                    ..AVal::default()
                }
            } else if (i == first && request_first) || (view_class && name == "request") {
                AVal {
                    kind: Kind::Request,
                    ..AVal::default()
                }
            } else if url_args && i > first && self.url_kwarg_absent(fid, name) {
                AVal::default()
            } else if url_args && i > first && self.url_kwarg_safe(fid, name) {
                // The URL conf only admits digits, letters, `_` and `-` here.
                AVal::safe()
            } else if url_args && i > first {
                AVal {
                    taint: Taint::source(Step {
                        file: f.file,
                        range: p.range(),
                        text: format!("URL argument `{name}` of {fname}()"),
                    }),
                    ..AVal::default()
                }
            } else {
                tracked.push((idx, name));
                AVal {
                    taint: Taint {
                        source: None,
                        params: vec![(
                            idx,
                            Arc::new(Flow {
                                steps: vec![Step {
                                    file: f.file,
                                    range: p.range(),
                                    text: format!("parameter `{name}` of {fname}()"),
                                }],
                                weak: false,
                                guessed: false,
                                tag: None,
                            }),
                        )],
                    },
                    ..AVal::default()
                }
            };
            cx.env.insert((name, ""), val);
        }
        cx.body = &f.def.body;
        if self.ix.checks_redirects(f.file) {
            // Values validated with url_has_allowed_host_and_scheme are clean wherever they
            // are read in this function, also when returned to a caller.
            cx.checks();
        }
        cx.tracked = tracked;
        cx.walk_body(&f.def.body);
        if !terminates(&f.def.body) {
            let now = cx.validated_now();
            cx.exit_valid(&now);
        }
        Summary {
            returns_anchored: cx.returns_anchored,
            returns: cx.returns,
            param_sinks: cx.param_sinks,
            returns_keys: cx.returns_keys,
            returns_safe: cx.any_return && cx.returns_safe,
            anchored_needs: cx.anchored_needs,
            validates: cx.valid_ret.unwrap_or_default(),
            checks: cx.valid_exit.unwrap_or_default(),
        }
    }

    /// What the project's templates pass for this parameter of a template filter or tag.
    fn template_use(&self, uses: &crate::code::tags::Uses, fid: FuncId, param: u16) -> TemplateUse {
        self.template_use_at(uses, fid, param, 0)
    }

    /// Whether a variable an inclusion tag's template passes on is fed from templates: the
    /// tag puts its own parameter `q` under that name (`return {"size": size}`), so the
    /// variable is fed where the tag's `q` is. `None` when the template is no project
    /// inclusion tag's or the variable is something else.
    fn passed_through(
        &self,
        uses: &crate::code::tags::Uses,
        template: &str,
        var: &str,
        depth: u8,
    ) -> Option<bool> {
        let mut answer: Option<bool> = None;
        for (g, f) in self.ix.funcs.iter().enumerate() {
            let Some(name) = f.def.decorator_list.iter().find_map(|d| {
                let Expr::Call(c) = &d.expression else {
                    return None;
                };
                let text = self.ix.text(f.file, c.func.range());
                if !text.ends_with(".inclusion_tag") {
                    return None;
                }
                c.arguments
                    .args
                    .first()
                    .or_else(|| c.arguments.find_keyword("filename").map(|k| &k.value))
                    .and_then(string_literal)
            }) else {
                continue;
            };
            if !(template == name || template.ends_with(&format!("/{name}"))) {
                continue;
            }
            let summary = self.summary(g);
            let v = summary
                .returns_keys
                .as_ref()?
                .iter()
                .find(|(k, _)| k == var)?
                .1
                .clone();
            // The tag's own parameter: as a parameter, or as the weak source a template
            // function's argument is.
            let param = match (&v.taint.source, v.taint.params.as_slice()) {
                (None, []) => None,
                (None, [(q, _)]) => Some(*q),
                (Some(src), _) if src.weak && src.tag.is_some_and(|(t, _)| t == g) => {
                    src.tag.map(|(_, q)| q)
                }
                _ => return None,
            };
            let fed = param
                .is_some_and(|q| self.template_use_at(uses, g, q, depth + 1) == TemplateUse::Fed);
            answer = Some(answer.unwrap_or(false) || fed);
        }
        answer
    }

    fn template_use_at(
        &self,
        uses: &crate::code::tags::Uses,
        fid: FuncId,
        param: u16,
        depth: u8,
    ) -> TemplateUse {
        if depth > 4 {
            return TemplateUse::Fed;
        }
        let f = &self.ix.funcs[fid];
        let params = param_list(f.def);
        let Some(p) = params.get(usize::from(param)) else {
            return TemplateUse::Fed;
        };
        let mut fed = false;
        let mut used = false;
        let mut registered = false;
        for d in &f.def.decorator_list {
            let (callee, call) = match &d.expression {
                Expr::Call(c) => (&*c.func, Some(c)),
                other => (other, None),
            };
            let text = self.ix.text(f.file, callee.range());
            let filter = text.ends_with(".filter") || text.ends_with("stringfilter");
            let tag = text.ends_with(".simple_tag") || text.ends_with(".inclusion_tag");
            if !filter && !tag {
                continue;
            }
            registered = true;
            // The name templates use: `@register.filter("json")`, `name="..."`, else the
            // function's.
            let name = call
                .and_then(|c| {
                    c.arguments
                        .keywords
                        .iter()
                        .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "name"))
                        .map(|k| &k.value)
                        .or_else(|| c.arguments.args.first().filter(|_| filter))
                })
                .and_then(string_literal)
                .unwrap_or(f.def.name.as_str());
            let takes_context = call.is_some_and(|c| {
                c.arguments.keywords.iter().any(|k| {
                    k.arg
                        .as_ref()
                        .is_some_and(|a| a.id.as_str() == "takes_context")
                        && matches!(&k.value, Expr::BooleanLiteral(b) if b.value)
                })
            });
            let offset = usize::from(takes_context);
            let Some(position) = usize::from(param).checked_sub(offset) else {
                return TemplateUse::Fed;
            };
            if filter {
                fed |= uses.fed(name, filter, position, p.name.as_str());
            } else {
                // A variable an inclusion tag's template passes on is fed only where the
                // inclusion tag's own argument is (`{% avatar user 36 %}` → avatar.html's
                // `{% letter_avatar name size %}`).
                fed |= uses
                    .tag_feeds(name, position, p.name.as_str())
                    .into_iter()
                    .any(|(template, var)| {
                        var.and_then(|v| self.passed_through(uses, template, v, depth))
                            .unwrap_or(true)
                    });
            }
            used |= uses.used(name, filter);
            // `*args`/`**kwargs` collect whatever the template passes.
            if f.def
                .parameters
                .vararg
                .as_ref()
                .is_some_and(|v| v.name == p.name)
                || f.def
                    .parameters
                    .kwarg
                    .as_ref()
                    .is_some_and(|v| v.name == p.name)
            {
                return TemplateUse::Fed;
            }
        }
        if fed || !registered {
            TemplateUse::Fed
        } else if used {
            TemplateUse::Literal
        } else {
            TemplateUse::Unused
        }
    }

    /// The project form class a view names in `form_class = ...`.
    fn form_class_of(&self, view: ClassId) -> Option<ClassId> {
        let (owner, e) = self.ix.class_attr(view, "form_class")?;
        match self.ix.resolve_def(self.ix.classes[owner].file, e) {
            Some(Def::Class(c)) => Some(c),
            Some(Def::Func(_)) => None,
            // Bound by a loader the index does not follow (`Form = get_class("app.forms",
            // "Form")`): the project's only class of that name.
            None => {
                let Expr::Name(n) = e else {
                    return None;
                };
                let mut found = self
                    .ix
                    .classes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.def.name.as_str() == n.id.as_str())
                    .map(|(i, _)| i);
                let first = found.next()?;
                found.next().is_none().then_some(first)
            }
        }
    }

    fn url_kwarg_absent(&self, fid: FuncId, name: &str) -> bool {
        let f = &self.ix.funcs[fid];
        // `*args`/`**kwargs` hold whatever the URL captured.
        let variadic = f
            .def
            .parameters
            .vararg
            .as_ref()
            .is_some_and(|v| v.name.as_str() == name)
            || f.def
                .parameters
                .kwarg
                .as_ref()
                .is_some_and(|v| v.name.as_str() == name);
        !variadic
            && (self.ix.url_kwarg_absent(Def::Func(fid), name)
                || f.class
                    .is_some_and(|c| self.ix.url_kwarg_absent(Def::Class(c), name)))
    }

    fn url_kwarg_safe(&self, fid: FuncId, name: &str) -> bool {
        let f = &self.ix.funcs[fid];
        self.ix.url_kwarg_safe(Def::Func(fid), name)
            || f.class
                .is_some_and(|c| self.ix.url_kwarg_safe(Def::Class(c), name))
    }

    fn emit(&self, mut e: Event) {
        if e.sink.path
            && e.confidence == Confidence::High
            && e.flow.as_deref().is_some_and(route_bound)
        {
            e.confidence = Confidence::Medium;
        }
        self.events.borrow_mut().push(e);
    }

    /// Remember what a template is rendered with.
    fn record(&self, template: &str, keys: &[(String, AVal)]) {
        let mut out = self.contexts.borrow_mut();
        for (k, v) in keys {
            out.push(ContextVar {
                template: template.to_string(),
                key: k.clone(),
                source: v.taint.source.clone(),
                konst: v.konst,
                escaped: v.safe,
                anchored: v.anchored,
            });
        }
    }

    /// Contexts that no call site shows: a class-based view's `template_name` with what its
    /// `get_context_data()` returns and its `extra_context`; an inclusion tag's template with
    /// the dict the tag returns.
    fn record_declared_contexts(&self) {
        for c in 0..self.ix.classes.len() {
            if !self.ix.is_view_class(c) {
                continue;
            }
            let Some(template) = self
                .ix
                .class_attr(c, "template_name")
                .and_then(|(_, e)| string_literal(e))
            else {
                continue;
            };
            if let Some(fid) = self.ix.method(c, "get_context_data")
                && let Some(keys) = &self.summary(fid).returns_keys
            {
                self.record(template, keys);
            }
            if let Some((owner, e)) = self.ix.class_attr(c, "extra_context") {
                let mut cx = FnCx::new(self, self.ix.classes[owner].file, None);
                if let Some(keys) = &cx.eval(e).keys {
                    self.record(template, keys);
                }
            }
        }
        for (fid, f) in self.ix.funcs.iter().enumerate() {
            let Some(template) = f.def.decorator_list.iter().find_map(|d| {
                let Expr::Call(c) = &d.expression else {
                    return None;
                };
                let callee = self.ix.text(f.file, c.func.range());
                if !callee.ends_with("inclusion_tag") {
                    return None;
                }
                c.arguments
                    .args
                    .first()
                    .and_then(string_literal)
                    .or_else(|| {
                        c.arguments
                            .keywords
                            .iter()
                            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "filename"))
                            .and_then(|k| string_literal(&k.value))
                    })
            }) else {
                continue;
            };
            if let Some(keys) = &self.summary(fid).returns_keys {
                self.record(template, keys);
            }
        }
    }
}

fn has_decorator(def: &ast::StmtFunctionDef, name: &str) -> bool {
    def.decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name))
}

/// Whether a flow starts at the request's own path (`request.path`, `path_info`,
/// `get_full_path()`): it matched one of the project's URL patterns, which usually admit no
/// `..` part; whether this one does is not read, so a file path built from it is medium.
fn route_bound(flow: &Flow) -> bool {
    flow.steps.first().is_some_and(|s| {
        let t = s.text.trim_end_matches("()");
        t.ends_with(".path")
            || t.ends_with(".path_info")
            || t.ends_with(".get_full_path")
            || t.ends_with(".get_full_path_info")
    })
}

/// How sure a flow is: proven request data is high, a template filter's argument medium.
fn strength(flow: &Flow) -> Confidence {
    if flow.weak || flow.guessed {
        Confidence::Medium
    } else {
        Confidence::High
    }
}

/// Every named parameter in positional order, then keyword-only, then `*args`/`**kwargs`.
fn param_list(def: &ast::StmtFunctionDef) -> Vec<&ast::Parameter> {
    let p = &def.parameters;
    let mut out: Vec<&ast::Parameter> = p
        .posonlyargs
        .iter()
        .chain(p.args.iter())
        .map(|a| &a.parameter)
        .collect();
    out.extend(p.kwonlyargs.iter().map(|a| &a.parameter));
    if let Some(v) = &p.vararg {
        out.push(v);
    }
    if let Some(k) = &p.kwarg {
        out.push(k);
    }
    out
}

/// Local names (`("q", "")`) and attributes of local names (`("self", "query")`), borrowed
/// from the tree so copying an environment at a branch allocates no strings.
type Key<'a> = (&'a str, &'a str);
type Env<'a> = FxHashMap<Key<'a>, AVal>;
/// What a branch left in the names it wrote.
type Outcome<'a> = FxHashMap<Key<'a>, Option<AVal>>;

struct FnCx<'e, 'x, 'a> {
    engine: &'e Engine<'x, 'a>,
    ix: &'x Index<'a>,
    file: usize,
    func: Option<FuncId>,
    env: Env<'a>,
    returns: Taint,
    returns_anchored: bool,
    returns_keys: Option<Arc<Vec<(String, AVal)>>>,
    param_sinks: Vec<ParamSink>,
    /// The function body, scanned for checks only when a tainted value reaches a sink that
    /// a check would clear (rare, so most functions are never scanned twice).
    body: &'a [Stmt],
    /// Names checked by `url_has_allowed_host_and_scheme` somewhere in the function, and
    /// names checked for containment (`startswith`, `is_relative_to`, `commonpath`).
    checks: Option<(HashSet<&'a str>, HashSet<&'a str>)>,
    loop_depth: u32,
    /// Undo log of bindings made inside branches (key, previous value), and how many
    /// branches are open.
    log: Vec<(Key<'a>, Option<AVal>)>,
    marks: usize,
    /// The function's parameters that carry their own taint, by index and name.
    tracked: Vec<(u16, &'a str)>,
    any_return: bool,
    returns_safe: bool,
    anchored_needs: Vec<u16>,
    /// Parameters checked at every return of a true value / at every normal exit so far.
    valid_ret: Option<Vec<u16>>,
    valid_exit: Option<Vec<u16>>,
    /// Names holding the outcome of a check (`ok = isinstance(text, SafeData)`).
    flags: FxHashMap<&'a str, Guards<'a>>,
}

/// What a condition proves when it holds (`yes`) and when it fails (`no`): the names it
/// checked against a fixed set or a validator.
#[derive(Clone, Debug, Default)]
struct Guards<'a> {
    yes: Vec<Key<'a>>,
    no: Vec<Key<'a>>,
    /// The condition's value when it is known (`if autoescape:` in a filter).
    known: Option<bool>,
}

impl<'a> Guards<'a> {
    fn is_empty(&self) -> bool {
        self.yes.is_empty() && self.no.is_empty() && self.known.is_none()
    }

    fn negate(self) -> Guards<'a> {
        Guards {
            yes: self.no,
            no: self.yes,
            known: self.known.map(|k| !k),
        }
    }
}

/// Whether a block always leaves the function (`return`, `raise`): what it binds never
/// reaches the code after it.
fn terminates(body: &[Stmt]) -> bool {
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
fn falsy_literal(e: &Expr) -> bool {
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
fn joined_keys(e: &Expr) -> Vec<Key<'_>> {
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

fn key_of(e: &Expr) -> Option<Key<'_>> {
    match e {
        Expr::Name(n) => Some((n.id.as_str(), "")),
        _ => attr_key(e),
    }
}

/// Types whose instances carry no markup or path (`isinstance(x, int)`), or that are already
/// escaped (`isinstance(x, SafeData)`).
fn safe_type(name: &str) -> bool {
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
    fn new(engine: &'e Engine<'x, 'a>, file: usize, func: Option<FuncId>) -> Self {
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
    fn validated_now(&self) -> Vec<u16> {
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

    fn exit_valid(&mut self, now: &[u16]) {
        intersect(&mut self.valid_exit, now);
    }

    /// A value a check accepted: it carries nothing of the request any more.
    fn checked() -> AVal {
        AVal {
            kind: Kind::Checked,
            safe: true,
            ..AVal::default()
        }
    }

    /// Rebind the names a condition proved.
    fn narrow(&mut self, keys: &[Key<'a>]) {
        for k in keys {
            self.set(*k, Self::checked());
        }
    }

    /// Evaluate a condition and say what it proves.
    fn test(&mut self, e: &'a Expr) -> (AVal, Guards<'a>) {
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
    fn validated_args(&mut self, c: &'a ast::ExprCall) -> Vec<Key<'a>> {
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
    fn project_callee(&self, c: &'a ast::ExprCall) -> Option<(FuncId, usize)> {
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

    fn step(&self, range: TextRange, text: impl Into<String>) -> Step {
        Step {
            file: self.file,
            range,
            text: text.into(),
        }
    }

    fn source(&self, range: TextRange) -> Taint {
        let text = self.ix.text(self.file, range);
        Taint::source(self.step(range, shorten(text)))
    }

    /// Widen a bare source to the expression that reads it: `request.GET` →
    /// `request.GET['q']`.
    fn refine(&self, taint: &Taint, inner: TextRange, outer: TextRange) -> Taint {
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
    fn redirect_checked(&self, text: &str) -> bool {
        self.checks
            .as_ref()
            .is_some_and(|(r, _)| !r.is_empty() && r.contains(text))
    }

    fn checks(&mut self) -> &(HashSet<&'a str>, HashSet<&'a str>) {
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

    fn walk_body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.walk_stmt(stmt));
        }
    }

    /// A loop body twice, so values carried from one iteration to the next are seen; nested
    /// loops deeper than three levels once, so nesting cannot make the walk exponential.
    /// The loop may run zero times: its outcome joins the state before it; then `else`.
    fn walk_loop(&mut self, body: &'a [Stmt], orelse: &'a [Stmt]) {
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
    fn set(&mut self, key: Key<'a>, v: AVal) {
        let prev = self.env.insert(key, v);
        if self.marks > 0 {
            self.log.push((key, prev));
        }
    }

    fn mark(&mut self) -> usize {
        self.marks += 1;
        self.log.len()
    }

    /// Undo the bindings made since `mark`; return what the branch left in each name it
    /// wrote (`None`: unbound). Cost is the number of writes, not the size of the scope, so a
    /// long function with many `if`s stays linear.
    fn rollback(&mut self, mark: usize) -> Outcome<'a> {
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
    fn merge(&mut self, outcomes: Vec<Outcome<'a>>, fallthrough: bool) {
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

    fn branch(&mut self, test: Option<&'a Expr>, body: &'a [Stmt]) -> Outcome<'a> {
        let m = self.mark();
        if let Some(t) = test {
            self.eval(t);
        }
        self.walk_body(body);
        self.rollback(m)
    }

    fn walk_stmt(&mut self, stmt: &'a Stmt) {
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

    fn bind(&mut self, target: &'a Expr, v: &AVal) {
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

    fn eval(&mut self, expr: &'a Expr) -> AVal {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.eval_inner(expr))
    }

    fn eval_inner(&mut self, expr: &'a Expr) -> AVal {
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

    fn formatted(&self, mut out: AVal, range: TextRange, what: &str) -> AVal {
        if !out.taint.is_empty() {
            out.taint = out.taint.with_step(&self.step(range, what));
        }
        out.formatted = !out.konst;
        out
    }

    fn collection(&mut self, elts: &'a [Expr]) -> AVal {
        let mut out = AVal::built();
        for e in elts {
            let v = self.eval(e);
            out.absorb(&v);
        }
        out
    }

    fn comprehension(&mut self, gens: &'a [ast::Comprehension], elts: &[&'a Expr]) -> AVal {
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

    fn eval_attribute(&mut self, expr: &'a Expr, a: &'a ast::ExprAttribute) -> AVal {
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

    fn typed_field(&self, form: Option<ClassId>, key: &str) -> bool {
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
    fn callee_name(&self, func: &Expr) -> Option<String> {
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

    fn eval_call(&mut self, call: &'a ast::ExprCall) -> AVal {
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
    fn call_parts(&mut self, call: &'a ast::ExprCall) -> CallParts<'a> {
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
    fn encoder_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // Encoders: percent-encoding, and replacing every `<` (no tag can open).
        if let Some(m) = c.method
            && self.encodes(m, c.call)
        {
            return Some(AVal::safe());
        }
        None
    }

    /// A method of a value whose kind decides (the request, uploads, `self`, URL arguments, `cleaned_data`).
    fn receiver_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
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
    fn escaping_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
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
    fn known_or_project_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
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
    fn string_method(&mut self, c: &CallParts<'a>) -> Option<AVal> {
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
    fn encodes(&self, m: &str, call: &'a ast::ExprCall) -> bool {
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
    fn module_value(&self, name: &str) -> Option<&'a str> {
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
    fn escaping_encoder(&self, call: &'a ast::ExprCall) -> bool {
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
    fn dict_building(
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
    fn record_context(&mut self, qualname: Option<&str>, call: &'a ast::ExprCall) {
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
    fn template_name(&self, e: &'a Expr) -> Option<&'a str> {
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

    fn form(&self, class: Option<ClassId>, args: &[AVal], kws: &[(Option<&str>, AVal)]) -> AVal {
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
    fn apply(
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

    fn check_sink(
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
struct CallParts<'a> {
    call: &'a ast::ExprCall,
    method: Option<&'a str>,
    receiver: Option<&'a Expr>,
    recv: Option<AVal>,
    args: Vec<AVal>,
    kws: Vec<(Option<&'a str>, AVal)>,
    qualname: Option<String>,
}

/// Intersect a running set with the parameters valid at one more exit.
fn intersect(acc: &mut Option<Vec<u16>>, now: &[u16]) {
    match acc {
        Some(a) => a.retain(|p| now.contains(p)),
        None => *acc = Some(now.to_vec()),
    }
}

/// The union (`all`) or the intersection of two key lists.
fn combine<'a>(a: Vec<Key<'a>>, b: Vec<Key<'a>>, union: bool) -> Vec<Key<'a>> {
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
fn arg_expr<'e>(
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
fn element(v: &AVal) -> AVal {
    AVal {
        taint: v.taint.clone(),
        konst: v.konst,
        safe: v.safe,
        ..AVal::default()
    }
}

/// `self.x` / `obj.x` as an environment key.
fn attr_key(expr: &Expr) -> Option<(&str, &str)> {
    match expr {
        Expr::Attribute(a) => match &*a.value {
            Expr::Name(n) => Some((n.id.as_str(), a.attr.id.as_str())),
            _ => None,
        },
        _ => None,
    }
}

fn is_str(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(_) | Expr::FString(_))
}

pub fn string_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// Finds the names a function checks before using them as redirect targets or paths.
struct Prescan<'s, 'x, 'a> {
    ix: &'x Index<'a>,
    file: usize,
    redirect: &'s mut HashSet<&'a str>,
    path: &'s mut HashSet<&'a str>,
    /// `resolved = os.path.realpath(name)`: (resolved, name).
    aliases: &'s mut Vec<(&'a str, &'a str)>,
}

/// The names inside an argument of a containment check: `x`, `[a, b]`, `realpath(x)`.
fn names_in(e: &Expr) -> Vec<&str> {
    match e {
        Expr::Name(n) => vec![n.id.as_str()],
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().flat_map(names_in).collect()
        }
        Expr::Call(c) => c.arguments.args.iter().flat_map(names_in).collect(),
        _ => Vec::new(),
    }
}

/// A separator or parent reference: `if os.path.sep in name: raise` refuses paths.
fn path_separator(e: &Expr) -> bool {
    match e {
        Expr::StringLiteral(s) => {
            let v = s.value.to_str();
            v == "/" || v == "\\" || v == ".."
        }
        Expr::Attribute(a) => matches!(a.attr.id.as_str(), "sep" | "altsep" | "pardir"),
        _ => false,
    }
}

impl<'a> ast::visitor::Visitor<'a> for Prescan<'_, '_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        if let Stmt::Assign(a) = stmt
            && let [Expr::Name(target)] = a.targets.as_slice()
            && let Expr::Call(c) = &*a.value
        {
            let last = match &*c.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.id.as_str(),
                _ => "",
            };
            let arg = match &*c.func {
                Expr::Attribute(a) if last == "resolve" => Some(&*a.value),
                _ => c.arguments.args.first(),
            };
            if matches!(last, "realpath" | "abspath" | "normpath" | "resolve")
                && let Some(Expr::Name(n)) = arg
            {
                self.aliases.push((target.id.as_str(), n.id.as_str()));
            }
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_stmt(self, stmt);
        });
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Compare(c) = expr
            && let ([op], [right]) = (&*c.ops, &*c.comparators)
            && matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn)
            && path_separator(&c.left)
            && let Expr::Name(n) = right
        {
            self.path.insert(n.id.as_str());
        }
        if let Expr::Call(c) = expr {
            // Matched by spelling: these names are specific enough, and resolving every call
            // through the imports would cost more than the whole check.
            let last = match &*c.func {
                Expr::Name(n) => Some(n.id.as_str()),
                Expr::Attribute(a) => Some(a.attr.id.as_str()),
                _ => None,
            };
            let names = c
                .arguments
                .args
                .iter()
                .chain(c.arguments.keywords.iter().map(|k| &k.value))
                .filter_map(|a| match a {
                    Expr::Name(n) => Some(n.id.as_str()),
                    _ => None,
                });
            match last {
                Some("url_has_allowed_host_and_scheme" | "is_safe_url") => {
                    self.redirect.extend(names);
                    // `url_has_allowed_host_and_scheme(request.GET.get("next"), ...)`: the same
                    // expression read again later is the checked value.
                    let first = c.arguments.args.first().or(c
                        .arguments
                        .keywords
                        .first()
                        .map(|k| &k.value));
                    if let Some(e) = first
                        && matches!(e, Expr::Call(_))
                    {
                        self.redirect.insert(self.ix.text(self.file, e.range()));
                    }
                }
                Some("commonpath" | "commonprefix") => {
                    self.path.extend(c.arguments.args.iter().flat_map(names_in));
                }
                _ => {}
            }
            if let Expr::Attribute(a) = &*c.func
                && matches!(
                    a.attr.id.as_str(),
                    "startswith" | "is_relative_to" | "relative_to"
                )
                && let Expr::Name(n) = &*a.value
            {
                self.path.insert(n.id.as_str());
            }
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_expr(self, expr);
        });
    }
}

#[cfg(test)]
#[path = "taint_tests.rs"]
mod tests;
