//! djguard's Python facade: the one place that touches the ruff parser crates (pinned
//! `=0.0.10`), so an upgrade changes this crate only, plus the semantic helpers every engine
//! uses (names, imports, calls, decorators). It reads no file and knows no rule or Django
//! setting: it answers questions about one parsed module. Parsing is error-tolerant: a file
//! with syntax errors still yields a tree plus the list of errors.

pub mod lines;
pub mod semantic;

pub use lines::{Lines, Position, Span};

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextRange, TextSize};

use ruff_python_ast::PySourceType;

/// A parsed Python file: its text, tree, line index and syntax errors.
pub struct ParsedModule {
    pub text: String,
    pub module: ast::ModModule,
    pub syntax_errors: Vec<SyntaxError>,
    lines: Lines,
}

#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

impl ParsedModule {
    pub fn parse(text: String) -> ParsedModule {
        let parsed = ruff_python_parser::parse_unchecked_source(&text, PySourceType::Python);
        let syntax_errors = parsed
            .errors()
            .iter()
            .map(|e| SyntaxError {
                message: e.error.to_string(),
                range: e.location,
            })
            .collect();
        let module = parsed.into_syntax();
        let lines = Lines::python(&text);
        ParsedModule {
            text,
            module,
            syntax_errors,
            lines,
        }
    }

    pub fn position(&self, offset: TextSize) -> Position {
        self.lines.position(&self.text, offset.to_usize())
    }

    /// Where a range of the file sits.
    pub fn span(&self, range: TextRange) -> Span {
        self.lines
            .span(&self.text, range.start().to_usize(), range.end().to_usize())
    }

    /// The text of the given 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines.line_text(&self.text, line)
    }

    pub fn slice(&self, range: TextRange) -> &str {
        self.text
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }
}
