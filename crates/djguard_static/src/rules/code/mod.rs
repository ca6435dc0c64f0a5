//! Python code rules (`DJG1xx`). Two shapes:
//!
//! * **Taint rules** name their sinks (which calls, which arguments); the taint engine
//!   (`code::taint`) decides whether request data reaches them and reports the flow.
//! * **Pattern rules** look at the project index (classes, decorators, the URL conf, literals)
//!   and report what they find.
//!
//! Confidence policy (documented in the README): a flow proven from a request source is
//! `high` confidence at the rule's severity; a dangerous call with a non-constant argument
//! and no proven source is `low` confidence, one severity step lower; an API that is unsafe
//! whatever its input (`yaml.load` without a safe loader) is `medium` at the rule's severity.

use crate::code::ids::FileId;
use rustc_hash::FxHashMap;

use crate::code::index::Index;
use crate::finding::Confidence;
use crate::python::TextRange;
use crate::python::ast::{self, Expr};
use crate::rules::RuleMeta;

pub mod djg101;
pub mod djg102;
pub mod djg103;
pub mod djg104;
pub mod djg105;
pub mod djg106;
pub mod djg107;
pub mod djg108;
pub mod djg109;
pub mod djg110;
pub mod djg111;
pub mod djg112;
pub mod djg113;
pub mod djg114;
pub mod djg115;
pub mod djg116;
pub mod djg117;
pub mod djg118;
pub mod support;

/// A call the engine is evaluating, as the taint rules see it.
pub struct CallSite<'s, 'a> {
    pub ix: &'s Index<'a>,
    pub file: FileId,
    pub call: &'a ast::ExprCall,
    /// The callee's qualified name (`django.utils.safestring.mark_safe`, `builtins.eval`).
    pub qualname: Option<&'s str>,
    /// The method name when the callee is `receiver.method`.
    pub method: Option<&'a str>,
    pub receiver: Option<&'a Expr>,
}

impl CallSite<'_, '_> {
    pub fn receiver_text(&self) -> &str {
        self.receiver.map_or("", |r| {
            self.ix.text(self.file, crate::python::Ranged::range(r))
        })
    }

    pub fn keyword(&self, name: &str) -> Option<&Expr> {
        self.call
            .arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
            .map(|k| &k.value)
    }

    /// A keyword argument's qualified name (`Loader=yaml.SafeLoader`) or text.
    pub fn keyword_name(&self, name: &str) -> Option<String> {
        let e = self.keyword(name)?;
        Some(self.ix.qualname(self.file, e).unwrap_or_else(|| {
            self.ix
                .text(self.file, crate::python::Ranged::range(e))
                .to_string()
        }))
    }

    pub fn qualname_is(&self, names: &[&str]) -> bool {
        self.qualname.is_some_and(|q| names.contains(&q))
    }
}

/// Which argument of a sink call carries the dangerous value.
#[derive(Clone, Copy, Debug)]
pub enum ArgRef {
    Pos(usize),
    Kw(&'static str),
    PosOrKw(usize, &'static str),
    /// The object the method is called on (`Path(name).read_text()`).
    Receiver,
}

/// When a sink is reported without a proven request source.
#[derive(Clone, Copy, Debug)]
pub enum Low {
    Never,
    /// The argument was built by formatting non-constant values.
    Formatted,
    /// The argument is not a constant and not sanitised.
    NonConstant,
    /// Always, at this confidence, saying why.
    Always(Confidence, &'static str),
}

/// Checks in the same function that make a value acceptable for this sink.
#[derive(Clone, Copy, Debug)]
pub enum Checked {
    Nothing,
    /// `url_has_allowed_host_and_scheme(value, ...)`.
    Redirect,
    /// `value.startswith(...)`, `is_relative_to`, `os.path.commonpath`.
    Path,
}

pub struct Sink {
    pub rule: &'static RuleMeta,
    /// How the message names the sink: `cursor.execute()`.
    pub name: String,
    pub args: Vec<ArgRef>,
    pub low: Low,
    pub checked: Checked,
    /// Only a value that controls where a URL points matters (redirects, fetches): a value
    /// starting with a fixed path or `scheme://host/` is not reported.
    pub origin_only: bool,
}

/// A taint rule: its metadata, its sinks and the fix to print.
pub struct TaintRule {
    pub meta: RuleMeta,
    /// The callee names (last dotted component or method) its sinks can have; the engine
    /// asks the rule only about calls spelled like one of them.
    pub names: &'static [&'static str],
    pub sinks: fn(&CallSite, &mut Vec<Sink>),
    pub fix: &'static str,
}

/// Where a code finding is: a file of the index and a range of it.
#[derive(Clone, Copy, Debug)]
pub struct InFile {
    pub file: FileId,
    pub range: TextRange,
}

/// What a pattern rule found.
pub type Hit = super::Hit<InFile>;

pub struct PatternRule {
    pub meta: RuleMeta,
    pub check: fn(&Index, &mut Vec<Hit>),
}

pub static TAINT_RULES: &[&TaintRule] = &[
    &djg101::RULE,
    &djg102::RULE,
    &djg105::RULE,
    &djg106::RULE,
    &djg107::RULE,
    &djg108::RULE,
    &djg109::RULE,
    &djg110::RULE,
];

pub static PATTERN_RULES: &[&PatternRule] = &[
    &djg103::RULE,
    &djg104::RULE,
    &djg111::RULE,
    &djg112::RULE,
    &djg113::RULE,
    &djg114::RULE,
    &djg115::RULE,
    &djg116::RULE,
    &djg117::RULE,
    &djg118::RULE,
    // Template rules that read Python code (Jinja2 environments, custom filters).
    &crate::rules::templates::djg209::RULE,
    &crate::rules::templates::djg210::RULE,
];

/// Every sink any taint rule sees in this call.
pub fn sinks(site: &CallSite) -> Vec<Sink> {
    static BY_NAME: std::sync::OnceLock<FxHashMap<&'static str, Vec<&'static TaintRule>>> =
        std::sync::OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        let mut m: FxHashMap<&'static str, Vec<&'static TaintRule>> = FxHashMap::default();
        for rule in TAINT_RULES {
            for n in rule.names {
                m.entry(n).or_default().push(rule);
            }
        }
        m
    });
    let key = site
        .method
        .or_else(|| site.qualname.map(|q| q.rsplit('.').next().unwrap_or(q)));
    let mut out = Vec::new();
    if let Some(rules) = key.and_then(|k| by_name.get(k)) {
        for rule in rules {
            (rule.sinks)(site, &mut out);
        }
    }
    out
}

pub fn taint_rule(id: &str) -> Option<&'static TaintRule> {
    TAINT_RULES.iter().copied().find(|r| r.meta.id == id)
}
