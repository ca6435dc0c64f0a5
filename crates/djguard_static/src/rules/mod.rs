//! The rules of the static audit, each one module with its documentation in the module's `//!`
//! comment (the binary's build script collects them for `djguard rule ID`): settings rules
//! (`django`), project-wide rules (`project`), code rules (`code`), template rules
//! (`templates`).

pub mod code;
pub mod django;
pub mod project;
pub mod templates;

pub use djguard_core::rule::RuleMeta;

/// The documentation at the top of each rule module of this crate, by id (collected by
/// `build.rs`), for `djguard rule ID`.
pub static DOCS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

use djguard_core::finding::{Confidence, Finding};
use djguard_python::{ParsedModule, Span};

/// What a rule found, before it becomes a [`Finding`]: where (`L`, in the terms of the engine
/// that ran it: a file id and a range for code, a byte range for a template, a setting for the
/// settings checks), the wording, and a location-free key for the fingerprint. Positions
/// (lines, columns, the source line) are computed once, by [`place`], when the hit becomes a
/// finding.
#[derive(Clone, Debug)]
pub struct Hit<L> {
    pub at: L,
    pub message: String,
    pub fix: String,
    /// Location-free identity for the fingerprint (the class or function name, the setting).
    pub key: String,
    pub confidence: Confidence,
}

/// Give a finding the position of a span of its file, with the text of its first line.
/// Findings in a file without text (one that could not be read or parsed) point at line 1.
pub fn place(mut f: Finding, span: Option<(Span, &str)>) -> Finding {
    let (start, end, line) = match span {
        Some((s, line)) => (s.start, s.end, line),
        None => {
            let first = djguard_python::Position { line: 1, column: 1 };
            (first, first, "")
        }
    };
    if let Some(at) = f.span_mut() {
        (at.line, at.column) = (start.line, start.column);
        (at.end_line, at.end_column) = (end.line, end.column);
    }
    f.source_line = line.to_string();
    f
}

/// [`place`] for a range of a parsed Python file.
pub fn place_in_python(
    f: Finding,
    parsed: Option<&ParsedModule>,
    range: djguard_python::TextRange,
) -> Finding {
    let span = parsed.map(|p| {
        let s = p.span(range);
        (s, p.line_text(s.start.line))
    });
    place(f, span)
}
