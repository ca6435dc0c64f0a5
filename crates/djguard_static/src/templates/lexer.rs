//! Lexer for Django and Jinja2 templates: cuts the source into text and tag tokens by byte
//! offset, then reads the parts rules look at (a variable's filters, a tag's words, which block
//! tag closes which). It never renders or evaluates anything and never fails: malformed input
//! yields tokens plus diagnostics.
//!
//! Tags may span lines (Jinja allows it; Django does not, but a multi-line tag in a Django
//! template is almost always a mistake worth reading as a tag anyway). In Django a tag ends at
//! the first closing delimiter (`{{ "}}" }}` ends inside the string, as Django's own regex
//! does); in Jinja2 ([`lex_jinja`]) a closing delimiter inside a string literal does not end
//! the tag (`{{ '}}' }}` prints `}}`), as Jinja's lexer reads it.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Literal template text (also the content of `verbatim` and `raw` blocks).
    Text,
    /// `{{ … }}`.
    Var,
    /// `{% … %}`.
    Block,
    /// `{# … #}` or a whole `{% comment %}…{% endcomment %}`.
    Comment,
}

/// One token: byte offsets into the source. All offsets lie on UTF-8 boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    pub kind: TokenKind,
    /// Start of the token, delimiters included.
    pub start: usize,
    /// End of the token, delimiters included.
    pub end: usize,
    /// Start of the content, after the delimiter and any whitespace-control marker.
    pub inner_start: usize,
    /// End of the content, before any whitespace-control marker and the delimiter.
    pub inner_end: usize,
}

impl Token {
    /// The token's text, delimiters included ("" if the offsets do not fit `src`).
    pub fn source<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// The token's content without delimiters ("" if the offsets do not fit `src`).
    pub fn inner<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.inner_start..self.inner_end).unwrap_or("")
    }
}

/// A problem found while reading a template; `offset` is a byte offset into the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub offset: usize,
    pub message: String,
}

impl Diagnostic {
    fn new(offset: usize, message: String) -> Self {
        Self { offset, message }
    }
}

/// Split `src` into tokens. Concatenating the tokens' `source` reproduces `src` exactly.
pub fn lex(src: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    lex_with(src, false)
}

/// [`lex`] for a Jinja2 template: string literals inside `{{ }}` and `{% %}` may hold the
/// closing delimiter.
pub fn lex_jinja(src: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    lex_with(src, true)
}

fn lex_with(src: &str, jinja: bool) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut tokens = Vec::new();
    let mut diagnostics = Vec::new();
    let mut text_from = 0;
    let mut search_from = 0;
    while let Some(open) = find_tag_open(src, search_from) {
        let Some(tag) = scan_tag(src, open, jinja) else {
            let (opener, closer) = delimiters(src, open);
            diagnostics.push(Diagnostic::new(
                open,
                format!("unclosed `{opener}`: no `{closer}` before the end of the template"),
            ));
            break;
        };
        push_text(&mut tokens, text_from, open);
        tokens.push(tag);
        text_from = tag.end;
        search_from = tag.end;
        if tag.kind != TokenKind::Block {
            continue;
        }
        let inner = tag.inner(src);
        match tag_name(inner) {
            // Django's `verbatim` and Jinja's `raw`: the content is text, not template.
            opener @ ("verbatim" | "raw") => {
                let (end_name, args) = if opener == "verbatim" {
                    ("endverbatim", tag_args(inner))
                } else {
                    ("endraw", Vec::new())
                };
                let closes = |inner: &str| {
                    tag_name(inner) == end_name && (opener == "raw" || tag_args(inner) == args)
                };
                match find_block_tag(src, tag.end, closes) {
                    Some(end) => {
                        push_text(&mut tokens, tag.end, end.start);
                        tokens.push(end);
                        text_from = end.end;
                        search_from = end.end;
                    }
                    None => {
                        diagnostics.push(Diagnostic::new(
                            tag.start,
                            format!(
                                "unclosed `{{% {} %}}`: no `{{% {} %}}` before the end of the \
                                 template",
                                inner.trim(),
                                closing_words(end_name, &args),
                            ),
                        ));
                        break;
                    }
                }
            }
            "comment" => match find_block_tag(src, tag.end, |inner| tag_name(inner) == "endcomment")
            {
                Some(end) => {
                    tokens.pop();
                    tokens.push(Token {
                        kind: TokenKind::Comment,
                        start: tag.start,
                        end: end.end,
                        inner_start: tag.end,
                        inner_end: end.start,
                    });
                    text_from = end.end;
                    search_from = end.end;
                }
                // Read on as template rather than hide the rest of the file in a comment.
                None => diagnostics.push(Diagnostic::new(
                    tag.start,
                    "unclosed `{% comment %}`: no `{% endcomment %}` before the end of the template"
                        .to_string(),
                )),
            },
            _ => {}
        }
    }
    push_text(&mut tokens, text_from, src.len());
    (tokens, diagnostics)
}

fn closing_words(end_name: &str, args: &[String]) -> String {
    let mut words = end_name.to_string();
    for arg in args {
        words.push(' ');
        words.push_str(arg);
    }
    words
}

fn push_text(tokens: &mut Vec<Token>, start: usize, end: usize) {
    if end > start {
        tokens.push(Token {
            kind: TokenKind::Text,
            start,
            end,
            inner_start: start,
            inner_end: end,
        });
    }
}

/// The next `{{`, `{%` or `{#` at or after `from`.
fn find_tag_open(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut at = from;
    loop {
        let brace = at + bytes.get(at..)?.iter().position(|&b| b == b'{')?;
        if matches!(bytes.get(brace + 1), Some(b'{' | b'%' | b'#')) {
            return Some(brace);
        }
        at = brace + 1;
    }
}

fn delimiters(src: &str, open: usize) -> (&'static str, &'static str) {
    match src.as_bytes().get(open + 1) {
        Some(b'%') => ("{%", "%}"),
        Some(b'#') => ("{#", "#}"),
        _ => ("{{", "}}"),
    }
}

/// The tag opening at `open` (which holds `{{`, `{%` or `{#`), or None when it never closes.
/// With `strings` (Jinja2), a closer inside a quoted string of a `{{ }}` or `{% %}` does not
/// end it; when the quotes never balance, the first closer does.
fn scan_tag(src: &str, open: usize, strings: bool) -> Option<Token> {
    let (opener, closer) = delimiters(src, open);
    let first = find_from(src, open + 2, closer)?;
    let close = if strings && opener != "{#" {
        closer_outside_strings(src, open + 2, closer).unwrap_or(first)
    } else {
        first
    };
    Some(tag_token(src, open, close))
}

/// The first `closer` at or after `from` that is not inside a quoted string.
fn closer_outside_strings(src: &str, from: usize, closer: &str) -> Option<usize> {
    let rest = src.get(from..)?;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in rest.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c == '"' || c == '\'' {
            quote = Some(c);
        } else if rest.get(at..).is_some_and(|r| r.starts_with(closer)) {
            return Some(from + at);
        }
    }
    None
}

/// Build the token for a tag opening at `open` whose closing delimiter starts at `close`.
fn tag_token(src: &str, open: usize, close: usize) -> Token {
    let bytes = src.as_bytes();
    let kind = match bytes.get(open + 1) {
        Some(b'%') => TokenKind::Block,
        Some(b'#') => TokenKind::Comment,
        _ => TokenKind::Var,
    };
    // Jinja's whitespace control: `-` on either side; `+` after any opener, and before `%}`
    // and `#}` only.
    let mut inner_start = open + 2;
    if inner_start < close && matches!(bytes.get(inner_start), Some(b'-' | b'+')) {
        inner_start += 1;
    }
    let mut inner_end = close;
    if close > inner_start {
        let marker = bytes.get(close - 1);
        let strips = match marker {
            Some(b'-') => true,
            Some(b'+') => kind != TokenKind::Var,
            _ => false,
        };
        if strips {
            inner_end = close - 1;
        }
    }
    Token {
        kind,
        start: open,
        end: close + 2,
        inner_start,
        inner_end,
    }
}

fn find_from(src: &str, from: usize, needle: &str) -> Option<usize> {
    let rest = src.get(from..)?;
    rest.find(needle).map(|at| from + at)
}

/// The first `{% … %}` at or after `from` whose content satisfies `wanted`.
fn find_block_tag(src: &str, from: usize, wanted: impl Fn(&str) -> bool) -> Option<Token> {
    let mut at = from;
    // The next `%}` only moves forward; remembering it keeps a run of `{%` linear.
    let mut close: Option<usize> = None;
    loop {
        let open = find_from(src, at, "{%")?;
        let next_close = match close {
            Some(c) if c >= open + 2 => c,
            _ => find_from(src, open + 2, "%}")?,
        };
        close = Some(next_close);
        let tag = tag_token(src, open, next_close);
        if wanted(tag.inner(src)) {
            return Some(tag);
        }
        at = open + 2;
    }
}

/// A `{{ … }}` expression split into its base and filters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct VarExpr {
    /// The expression before the first filter, trimmed (`user.name`).
    pub base: String,
    pub filters: Vec<Filter>,
}

/// One filter of a variable: Django's `name:arg` or Jinja's `name(args)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filter {
    pub name: String,
    /// Django: the text after `:` (quotes kept). Jinja: the text inside the parentheses
    /// (None for `()`).
    pub arg: Option<String>,
}

impl Filter {
    fn parse(segment: &str) -> Option<Self> {
        let segment = segment.trim();
        let name_end = segment
            .find(|c: char| c == ':' || c == '(' || c.is_whitespace())
            .unwrap_or(segment.len());
        let name = segment.get(..name_end)?;
        if name.is_empty() {
            return None;
        }
        let rest = segment.get(name_end..).unwrap_or("").trim_start();
        let arg = if let Some(arg) = rest.strip_prefix(':') {
            Some(arg.trim().to_string())
        } else if let Some(args) = rest.strip_prefix('(') {
            let inside = match closing_paren(args) {
                Some(close) => args.get(..close).unwrap_or(args),
                None => args,
            };
            let inside = inside.trim();
            (!inside.is_empty()).then(|| inside.to_string())
        } else {
            None
        };
        Some(Self {
            name: name.to_string(),
            arg,
        })
    }
}

/// Read the content of a `{{ … }}` tag. Pipes inside quotes or brackets do not split.
pub fn parse_var(inner: &str) -> VarExpr {
    let mut segments = split_top_level_pipes(inner.trim()).into_iter();
    let base = segments.next().unwrap_or("").trim().to_string();
    let filters = segments.filter_map(Filter::parse).collect();
    VarExpr { base, filters }
}

/// Tracks whether a scan is inside a quoted string (with backslash escapes) or brackets.
#[derive(Default)]
struct Nesting {
    quote: Option<char>,
    escaped: bool,
    depth: usize,
}

impl Nesting {
    /// Account for `c`; true when `c` sits at top level (outside quotes and brackets, and not
    /// itself a quote or bracket that changed the nesting).
    fn step(&mut self, c: char) -> bool {
        if let Some(q) = self.quote {
            if self.escaped {
                self.escaped = false;
            } else if c == '\\' {
                self.escaped = true;
            } else if c == q {
                self.quote = None;
            }
            return false;
        }
        match c {
            '"' | '\'' => {
                self.quote = Some(c);
                false
            }
            '(' | '[' | '{' => {
                self.depth += 1;
                false
            }
            ')' | ']' | '}' => {
                self.depth = self.depth.saturating_sub(1);
                false
            }
            _ => self.depth == 0,
        }
    }
}

fn split_top_level_pipes(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut nesting = Nesting::default();
    let mut from = 0;
    for (at, c) in expr.char_indices() {
        if nesting.step(c) && c == '|' {
            parts.push(expr.get(from..at).unwrap_or(""));
            from = at + 1;
        }
    }
    parts.push(expr.get(from..).unwrap_or(""));
    parts
}

/// Offset of the `)` closing a group whose `(` came just before `text`.
fn closing_paren(text: &str) -> Option<usize> {
    let mut nesting = Nesting {
        depth: 1,
        ..Nesting::default()
    };
    for (at, c) in text.char_indices() {
        let outside_quotes = nesting.quote.is_none();
        nesting.step(c);
        if outside_quotes && c == ')' && nesting.depth == 0 {
            return Some(at);
        }
    }
    None
}

/// The tag's name: the first word of a `{% … %}` content, ending at whitespace or `(` (Jinja's
/// `{% call(user) list() %}`).
pub fn tag_name(inner: &str) -> &str {
    let inner = inner.trim_start();
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(inner.len());
    inner.get(..end).unwrap_or("")
}

/// The words after the tag name, split on whitespace; a quoted string (quotes kept) stays one
/// word even when it holds spaces, as does a word with a quoted part (`x="a b"`).
pub fn tag_args(inner: &str) -> Vec<String> {
    let inner = inner.trim_start();
    let name = tag_name(inner);
    let rest = inner.get(name.len()..).unwrap_or("");
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in rest.chars() {
        if let Some(q) = quote {
            word.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
        } else if c.is_whitespace() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        } else {
            if c == '"' || c == '\'' {
                quote = Some(c);
            }
            word.push(c);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A block tag and, when found, the tag that ends it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    /// The opening tag's name (`if`, `block`, `macro`, …).
    pub name: String,
    /// Index of the opening token.
    pub open: usize,
    /// Index of the `end…` token; None when the block is never closed.
    pub close: Option<usize>,
}

/// Tags that always open a block closed by `end<name>` (Django and Jinja; `ifequal` and
/// `ifnotequal` for templates older than Django 4.0).
const BLOCK_TAGS: &[&str] = &[
    "block",
    "if",
    "for",
    "with",
    "autoescape",
    "filter",
    "spaceless",
    "ifchanged",
    "blocktrans",
    "blocktranslate",
    "localize",
    "localtime",
    "timezone",
    "cache",
    "language",
    "ifequal",
    "ifnotequal",
    "macro",
    "call",
];

/// Blocks the lexer has already paired (it reports them unclosed, so `blocks` does not).
const LEXER_PAIRED: &[&str] = &["verbatim", "raw"];

/// Whether the tag with this content opens a block.
fn opens_block(name: &str, inner: &str, file_has_endtrans: bool) -> bool {
    if BLOCK_TAGS.contains(&name) || LEXER_PAIRED.contains(&name) {
        return true;
    }
    match name {
        // Jinja's block assignment `{% set x %}…{% endset %}`; `{% set x = 1 %}` stands alone.
        "set" => !has_top_level_eq(inner),
        // Django's `{% trans "text" %}` / `{% trans var %}` stand alone; Jinja's
        // `{% trans %}`, `{% trans count=n %}`, `{% trans trimmed %}` and (in a file that uses
        // `endtrans`) `{% trans user %}` open a block.
        "trans" => {
            let args = tag_args(inner);
            match args.first().map(String::as_str) {
                None => true,
                Some(first) if first.starts_with(['"', '\'']) || first.starts_with("_(") => false,
                Some(_) if args.iter().any(|a| a.contains('=')) => true,
                Some("trimmed" | "notrimmed") => true,
                Some(_) => file_has_endtrans,
            }
        }
        _ => false,
    }
}

fn has_top_level_eq(inner: &str) -> bool {
    let mut nesting = Nesting::default();
    inner.chars().any(|c| nesting.step(c) && c == '=')
}

/// Whether `end<name>` ends a block this module knows about (custom `end…` tags are ignored).
fn known_end(name: &str) -> bool {
    BLOCK_TAGS.contains(&name) || LEXER_PAIRED.contains(&name) || matches!(name, "set" | "trans")
}

/// An open block on the matching stack.
struct Open {
    /// Index into the result vector.
    block: usize,
    name: String,
    /// First argument, for `endblock name` checks.
    label: Option<String>,
    offset: usize,
}

/// Match block tags with their end tags. Intermediate tags (`elif`, `else`, `empty`,
/// `plural`, …) are left alone; a stray end tag or a block never closed gives a diagnostic
/// and matching goes on.
pub fn blocks(src: &str, tokens: &[Token]) -> (Vec<Block>, Vec<Diagnostic>) {
    let is_tag = |t: &&Token| t.kind == TokenKind::Block;
    let file_has_endtrans = tokens
        .iter()
        .filter(is_tag)
        .any(|t| tag_name(t.inner(src)) == "endtrans");
    let mut found: Vec<Block> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if token.kind != TokenKind::Block {
            continue;
        }
        let inner = token.inner(src);
        let name = tag_name(inner);
        if opens_block(name, inner, file_has_endtrans) {
            stack.push(Open {
                block: found.len(),
                name: name.to_string(),
                label: tag_args(inner).into_iter().next(),
                offset: token.start,
            });
            found.push(Block {
                name: name.to_string(),
                open: index,
                close: None,
            });
            continue;
        }
        if name == "endcomment" {
            // A paired `{% comment %}` is one Comment token, so this end tag is stray.
            diagnostics.push(Diagnostic::new(
                token.start,
                "`{% endcomment %}` has no matching `{% comment %}`".to_string(),
            ));
            continue;
        }
        let Some(opener) = name.strip_prefix("end") else {
            continue;
        };
        if !known_end(opener) {
            continue;
        }
        let Some(depth) = stack.iter().rposition(|open| open.name == opener) else {
            diagnostics.push(Diagnostic::new(
                token.start,
                format!("`{{% {name} %}}` has no matching `{{% {opener} %}}`"),
            ));
            continue;
        };
        for inner_open in stack.drain(depth + 1..).rev() {
            diagnostics.push(unclosed(&inner_open, Some(name)));
        }
        let Some(open) = stack.pop() else {
            continue;
        };
        if opener == "block" {
            let end_label = tag_args(inner).into_iter().next();
            if let (Some(end_label), Some(label)) = (&end_label, &open.label)
                && end_label != label
            {
                diagnostics.push(Diagnostic::new(
                    token.start,
                    format!(
                        "`{{% endblock {end_label} %}}` closes `{{% block {label} %}}`: the \
                         names differ"
                    ),
                ));
            }
        }
        if let Some(block) = found.get_mut(open.block) {
            block.close = Some(index);
        }
    }
    for open in stack {
        if !LEXER_PAIRED.contains(&open.name.as_str()) {
            diagnostics.push(unclosed(&open, None));
        }
    }
    diagnostics.sort_by_key(|d| d.offset);
    (found, diagnostics)
}

fn unclosed(open: &Open, found_instead: Option<&str>) -> Diagnostic {
    let name = &open.name;
    let message = match found_instead {
        Some(other) => format!(
            "`{{% {name} %}}` is never closed: expected `{{% end{name} %}}` before `{{% {other} %}}`"
        ),
        None => format!(
            "`{{% {name} %}}` is never closed: no `{{% end{name} %}}` before the end of the template"
        ),
    };
    Diagnostic::new(open.offset, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        let (tokens, _) = lex(src);
        tokens.iter().map(|t| (t.kind, t.inner(src))).collect()
    }

    fn assert_round_trip(src: &str) {
        let (tokens, _) = lex(src);
        let mut at = 0;
        for token in &tokens {
            assert_eq!(token.start, at, "tokens must be contiguous in {src:?}");
            assert!(token.start < token.end, "empty token in {src:?}");
            assert!(token.start <= token.inner_start && token.inner_start <= token.inner_end);
            assert!(token.inner_end <= token.end);
            for offset in [token.start, token.end, token.inner_start, token.inner_end] {
                assert!(src.is_char_boundary(offset), "offset {offset} in {src:?}");
            }
            at = token.end;
        }
        assert_eq!(at, src.len());
        let rebuilt: String = tokens.iter().map(|t| t.source(src)).collect();
        assert_eq!(rebuilt, src);
    }

    #[test]
    fn tokens_cover_the_source() {
        let src = "<p>{{ user.name|default:\"a|b\" }}</p>{% if x %}é{# note #}{% endif %}日本";
        assert_round_trip(src);
        use TokenKind::*;
        assert_eq!(
            kinds(src),
            vec![
                (Text, "<p>"),
                (Var, " user.name|default:\"a|b\" "),
                (Text, "</p>"),
                (Block, " if x "),
                (Text, "é"),
                (Comment, " note "),
                (Block, " endif "),
                (Text, "日本"),
            ]
        );
        for src in [
            "",
            "plain",
            "{",
            "}}",
            "{{}}",
            "{%%}",
            "{##}",
            "a{{{ x }}}b",
            "{%}",
        ] {
            assert_round_trip(src);
        }
    }

    #[test]
    fn jinja_strings_may_hold_the_closer() {
        let src = "a{{ '{{' }}id{{ '}}' }}b{% set x = \"%}\" %}";
        assert_round_trip(src);
        let (tokens, _) = lex_jinja(src);
        let inner: Vec<_> = tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Text)
            .map(|t| t.inner(src))
            .collect();
        assert_eq!(inner, vec![" '{{' ", " '}}' ", " set x = \"%}\" "]);
        // Django ends at the first closer; an unbalanced quote in Jinja falls back to it.
        let (tokens, _) = lex("{{ '}}' }}");
        assert_eq!(tokens[0].inner("{{ '}}' }}"), " '");
        let src = "{{ it's }}x";
        let (tokens, _) = lex_jinja(src);
        assert_eq!(tokens[0].inner(src), " it's ");
    }

    #[test]
    fn verbatim_and_raw_content_is_text() {
        use TokenKind::*;
        let src = "{% verbatim %}{{ a }}{% if %}{% endverbatim %}{{ b }}";
        assert_round_trip(src);
        assert_eq!(
            kinds(src),
            vec![
                (Block, " verbatim "),
                (Text, "{{ a }}{% if %}"),
                (Block, " endverbatim "),
                (Var, " b "),
            ]
        );
        // A named verbatim ends only at the end tag with the same name.
        let src = "{% verbatim x %}{% endverbatim %}{% endverbatim x %}";
        assert_eq!(
            kinds(src),
            vec![
                (Block, " verbatim x "),
                (Text, "{% endverbatim %}"),
                (Block, " endverbatim x "),
            ]
        );
        let src = "{%- raw -%}{{ a }}{%- endraw %}";
        assert_eq!(
            kinds(src),
            vec![(Block, " raw "), (Text, "{{ a }}"), (Block, " endraw ")]
        );
        // An empty verbatim yields no empty text token.
        assert_eq!(
            kinds("{% raw %}{% endraw %}"),
            vec![(Block, " raw "), (Block, " endraw ")]
        );
    }

    #[test]
    fn comment_block_is_one_token() {
        let src = "a{% comment \"why\" %}{{ x }} {% if %}{% endcomment %}b";
        assert_round_trip(src);
        let (tokens, diagnostics) = lex(src);
        assert!(diagnostics.is_empty());
        assert_eq!(tokens.len(), 3);
        let comment = tokens[1];
        assert_eq!(comment.kind, TokenKind::Comment);
        assert_eq!(
            comment.source(src),
            "{% comment \"why\" %}{{ x }} {% if %}{% endcomment %}"
        );
        assert_eq!(comment.inner(src), "{{ x }} {% if %}");
    }

    #[test]
    fn unclosed_tags_leave_text_and_a_diagnostic() {
        for (src, rest) in [
            ("a{{ b {% if %}", "{{ b {% if %}"),
            ("a{% if x", "{% if x"),
            ("a{# note", "{# note"),
            ("a{% verbatim %}{{ x }}", "{{ x }}"),
        ] {
            assert_round_trip(src);
            let (tokens, diagnostics) = lex(src);
            assert_eq!(diagnostics.len(), 1, "{src}");
            assert!(diagnostics[0].message.contains("unclosed"), "{src}");
            // The rest joins the text before it: text tokens are maximal.
            let last = tokens[tokens.len() - 1];
            assert_eq!(last.kind, TokenKind::Text);
            assert!(last.source(src).ends_with(rest), "{src}");
            assert!(tokens.iter().all(|t| t.kind != TokenKind::Var), "{src}");
        }
        // An unclosed comment block is reported and the rest is still read as template.
        let src = "{% comment %}{{ x }}";
        let (tokens, diagnostics) = lex(src);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].offset, 0);
        assert_eq!(tokens[1].kind, TokenKind::Var);
    }

    #[test]
    fn whitespace_control_markers_are_not_content() {
        use TokenKind::*;
        assert_eq!(
            kinds("{%- if x -%}{{- y -}}{%+ else +%}{#- c -#}{{ z }}"),
            vec![
                (Block, " if x "),
                (Var, " y "),
                (Block, " else "),
                (Comment, " c "),
                (Var, " z "),
            ]
        );
        // A lone marker never makes the content run backwards.
        assert_eq!(kinds("{{-}}"), vec![(Var, "")]);
        assert_eq!(kinds("{%-%}"), vec![(Block, "")]);
        // `+` before `}}` is not whitespace control.
        assert_eq!(kinds("{{ a +}}"), vec![(Var, " a +")]);
    }

    #[test]
    fn filters_keep_quoted_pipes_and_args() {
        let expr = parse_var(" user.name|default:\"a|b\"|safe ");
        assert_eq!(expr.base, "user.name");
        assert_eq!(
            expr.filters,
            vec![
                Filter {
                    name: "default".into(),
                    arg: Some("\"a|b\"".into())
                },
                Filter {
                    name: "safe".into(),
                    arg: None
                },
            ]
        );
        let expr = parse_var("x | e");
        assert_eq!(expr.base, "x");
        assert_eq!(expr.filters[0].name, "e");
        let expr = parse_var("x|replace(\"a\", \"b)\")|safe");
        assert_eq!(expr.filters[0].name, "replace");
        assert_eq!(expr.filters[0].arg.as_deref(), Some("\"a\", \"b)\""));
        assert_eq!(expr.filters[1].name, "safe");
        let expr = parse_var("items|join(', ' | upper)|length()");
        assert_eq!(expr.filters.len(), 2);
        assert_eq!(expr.filters[1].arg, None);
        let expr = parse_var("'it\\'s|x'|escapejs");
        assert_eq!(expr.base, "'it\\'s|x'");
        assert_eq!(expr.filters.len(), 1);
        assert_eq!(parse_var("  ").base, "");
        assert!(parse_var("x||").filters.is_empty());
    }

    #[test]
    fn tag_words() {
        assert_eq!(tag_name(" url 'a b' x "), "url");
        assert_eq!(
            tag_args(" url 'a b' x as=\"c d\" "),
            vec!["'a b'", "x", "as=\"c d\""]
        );
        assert_eq!(tag_name("call(user) list_users()"), "call");
        assert_eq!(
            tag_args("call(user) list_users()"),
            vec!["(user)", "list_users()"]
        );
        assert_eq!(tag_name("   "), "");
        assert!(tag_args("csrf_token").is_empty());
        assert_eq!(tag_args("trans \"unclosed quote"), vec!["\"unclosed quote"]);
    }

    /// (name, opening token, closing token) of one block.
    type Span = (String, usize, Option<usize>);

    fn block_spans(src: &str) -> (Vec<Span>, Vec<Diagnostic>) {
        let (tokens, _) = lex(src);
        let (found, diagnostics) = blocks(src, &tokens);
        let spans = found
            .into_iter()
            .map(|b| (b.name, b.open, b.close))
            .collect();
        (spans, diagnostics)
    }

    #[test]
    fn blocks_match_by_stack() {
        let src = "{% block a %}{% if x %}1{% elif y %}2{% else %}3{% endif %}\
                   {% for i in l %}{% empty %}{% endfor %}{% endblock a %}";
        let (spans, diagnostics) = block_spans(src);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            spans,
            vec![
                ("block".into(), 0, Some(11)),
                ("if".into(), 1, Some(7)),
                ("for".into(), 8, Some(10)),
            ]
        );
    }

    #[test]
    fn stray_and_unclosed_tags_are_reported() {
        let src = "{% endif %}{% with a=1 %}{% for x in y %}{% endwith %}{% block b %}";
        let (spans, diagnostics) = block_spans(src);
        assert_eq!(
            spans,
            vec![
                ("with".into(), 1, Some(3)),
                ("for".into(), 2, None),
                ("block".into(), 4, None),
            ]
        );
        let messages: Vec<_> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`{% endif %}` has no matching"));
        assert!(messages[1].contains("`{% for %}` is never closed"));
        assert!(messages[2].contains("`{% block %}` is never closed"));
        // Custom end tags are not ours to judge.
        assert!(block_spans("{% endmytag %}").1.is_empty());
        // A stray endcomment is reported.
        assert_eq!(block_spans("{% endcomment %}").1.len(), 1);
        // Mismatched endblock names.
        assert_eq!(block_spans("{% block a %}{% endblock b %}").1.len(), 1);
    }

    #[test]
    fn jinja_forms() {
        let (spans, diagnostics) = block_spans(
            "{% set x = 1 %}{% set y %}b{% endset %}{% macro m(a) %}{% endmacro %}\
             {% call(u) m(1) %}{% endcall %}{% trans count=n %}a{% pluralize %}b{% endtrans %}",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let names: Vec<_> = spans.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, vec!["set", "macro", "call", "trans"]);
        assert!(spans.iter().all(|s| s.2.is_some()));
        // Django's one-line trans opens nothing.
        let (spans, diagnostics) = block_spans("{% trans \"Hello\" %}{% trans greeting %}");
        assert!(spans.is_empty() && diagnostics.is_empty());
        // Verbatim pairs appear as blocks; an unclosed one is the lexer's to report.
        let (spans, diagnostics) = block_spans("{% verbatim %}x{% endverbatim %}{% raw %}y");
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].2, Some(2));
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn every_prefix_lexes() {
        let src = "é{% if a %}<a href=\"{{ u|default:'|' }}\">日本</a>{%- else -%}{# x #}\
                   {% verbatim v %}{{ }}{% endverbatim v %}{% comment %}c{% endcomment %}\
                   {% raw %}{% endraw %}{{ x | replace(\"é\", \"日\") }}{% endif %}{%+ y +%}";
        for (end, _) in src.char_indices().chain([(src.len(), ' ')]) {
            let prefix = &src[..end];
            assert_round_trip(prefix);
            let (tokens, _) = lex(prefix);
            let _ = blocks(prefix, &tokens);
            for token in &tokens {
                let inner = token.inner(prefix);
                let _ = parse_var(inner);
                let _ = (tag_name(inner), tag_args(inner));
            }
        }
    }
}
