//! djguard's Python facade: the one place that touches the ruff parser crates (pinned
//! `=0.0.10`), so an upgrade changes this crate only, plus the semantic helpers every engine
//! uses (names, imports, calls, decorators). It reads no file and knows no rule or Django
//! setting: it answers questions about one parsed module. Parsing is error-tolerant: a file
//! with syntax errors still yields a tree plus the list of errors.

pub mod semantic;

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextRange, TextSize};

use ruff_python_ast::PySourceType;
use ruff_source_file::LineIndex;

/// A parsed Python file: its text, tree, line index and syntax errors.
pub struct ParsedModule {
    pub text: String,
    pub module: ast::ModModule,
    pub syntax_errors: Vec<SyntaxError>,
    line_index: LineIndex,
}

#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
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
        let line_index = LineIndex::from_source_text(&text);
        ParsedModule {
            text,
            module,
            syntax_errors,
            line_index,
        }
    }

    pub fn position(&self, offset: TextSize) -> Position {
        let offset = offset.min(TextSize::of(self.text.as_str()));
        let lc = self.line_index.line_column(offset, &self.text);
        Position {
            line: u32::try_from(lc.line.get()).unwrap_or(u32::MAX),
            column: u32::try_from(lc.column.get()).unwrap_or(u32::MAX),
        }
    }

    /// The text of the given 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        // Through the line index, not by scanning: a file with many findings stays linear.
        let starts = self.line_index.line_starts();
        let i = line.saturating_sub(1) as usize;
        let Some(start) = starts.get(i) else {
            return "";
        };
        let end = starts.get(i + 1).map_or(self.text.len(), |e| e.to_usize());
        self.text
            .get(start.to_usize()..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    pub fn slice(&self, range: TextRange) -> &str {
        self.text
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }
}
