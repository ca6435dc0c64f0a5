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

use crate::code::ids::FileId;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::code::TemplateContext;
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

mod apis;
mod engine;
mod function;
mod prescan;
mod value;

use apis::*;
use engine::*;
use function::*;
use prescan::*;
pub use value::*;

/// A sink reached inside a function; reported where it is, with the rule's wording.
#[derive(Clone, Debug)]
pub struct SinkSite {
    pub rule: &'static RuleMeta,
    pub file: FileId,
    pub range: TextRange,
    pub name: String,
    pub func: Option<FuncId>,
    /// A file path sink: the request's own path reaching it went through the URL pattern
    /// that routed the request, which djguard does not read (see `route_bound` in the engine).
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
    /// Every tainted return value is anchored (see [`Facts::ANCHORED`]).
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
    contexts: RefCell<Vec<TemplateContext>>,
    /// The project's inclusion tags, found when first needed (see `Engine::inclusion_tags`).
    inclusion_tags: std::cell::OnceCell<Vec<InclusionTag<'a>>>,
}

/// `@register.inclusion_tag("t.html", name=...)` on a project function.
struct InclusionTag<'a> {
    func: FuncId,
    /// The template it renders.
    template: Option<&'a str>,
    /// The `name=` it is registered under, when not the function's.
    name: Option<&'a str>,
}

#[cfg(test)]
mod tests;
