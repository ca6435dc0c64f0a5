//! Byte offsets to lines and columns: the one conversion every finding's position goes
//! through, for Python files (code and settings) and templates alike.
//!
//! Written here rather than taken from ruff's `LineIndex`: templates need it too, where only
//! `\n` ends a line (Django's template lexer counts lines that way), and the offsets come from
//! djguard's own scanners, so a position must never panic on an offset past the end or inside
//! a character (ruff's index slices the text and would).

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Where a range of a text starts and ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

/// The byte offsets where the lines of one text start.
#[derive(Clone, Debug)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Lines of Python source: `\n`, `\r\n` and a lone `\r` each end a line, as Python reads
    /// them.
    pub fn python(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
        }
        Lines { starts }
    }

    /// Lines where only `\n` ends one: templates (Django's template lexer counts lines so)
    /// and `.env` files.
    pub fn lf(text: &str) -> Lines {
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// The position of a byte offset of `text` (the text these lines were made from). An
    /// offset past the end counts as the end; one inside a character as that character. A
    /// byte-order mark is not a column.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let mut chars = text.get(start..offset).map_or(0, |s| s.chars().count());
        if line == 1 && chars > 0 && text.starts_with('\u{feff}') {
            chars -= 1;
        }
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(chars + 1).unwrap_or(u32::MAX),
        }
    }

    /// Where the byte range `start..end` of `text` sits; an end before the start is the start.
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        Span {
            start: self.position(text, start),
            end: self.position(text, end.max(start)),
        }
    }

    /// The text of the given 1-based line, without its line ending ("" past the last line).
    /// How many lines the text has (a text ending in a newline has an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = (line as usize).saturating_sub(1);
        if line == 0 {
            return "";
        }
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn python_lines_end_at_every_newline_convention() {
        let text = "a\nbb\r\nccc\rd";
        let l = Lines::python(text);
        assert_eq!(l.position(text, 0), pos(1, 1));
        assert_eq!(l.position(text, 3), pos(2, 2));
        assert_eq!(l.position(text, 6), pos(3, 1));
        assert_eq!(l.position(text, 10), pos(4, 1));
        assert_eq!(l.line_text(text, 2), "bb");
        assert_eq!(l.line_text(text, 3), "ccc");
        assert_eq!(l.line_text(text, 4), "d");
        assert_eq!(l.line_text(text, 5), "");
        assert_eq!(l.line_text(text, 0), "");
    }

    #[test]
    fn template_lines_end_at_newline_only() {
        let text = "a\rb\nc";
        let l = Lines::lf(text);
        assert_eq!(l.position(text, 2), pos(1, 3));
        assert_eq!(l.position(text, 4), pos(2, 1));
        assert_eq!(l.line_text(text, 1), "a\rb");
    }

    #[test]
    fn columns_count_characters_and_skip_the_byte_order_mark() {
        let text = "\u{feff}é = 'ü'\nx";
        let l = Lines::python(text);
        assert_eq!(l.position(text, 0), pos(1, 1));
        assert_eq!(l.position(text, 3), pos(1, 1));
        assert_eq!(l.position(text, 5), pos(1, 2));
        let e = text.find('ü').unwrap_or(0);
        assert_eq!(l.position(text, e), pos(1, 6));
    }

    #[test]
    fn hostile_offsets_do_not_panic() {
        let text = "é\nü";
        let l = Lines::lf(text);
        // Inside `é`: counts as `é`.
        assert_eq!(l.position(text, 1), pos(1, 1));
        assert_eq!(l.position(text, 10_000), pos(2, 2));
        let s = l.span(text, 4, 0);
        assert_eq!(s.start, s.end);
        let empty = Lines::python("");
        assert_eq!(empty.position("", 5), pos(1, 1));
    }
}
