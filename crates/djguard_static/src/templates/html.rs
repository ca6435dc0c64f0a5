//! HTML context of template tags: walks the literal HTML of a lexed template with a tolerant
//! version of the browser's tokenizer, treating every `{{ }}` and `{% %}` as an opaque hole, and
//! records where each hole lands (text, attribute value, script, …) plus the tags it saw.
//! It approximates a browser to place holes for rules; it never validates HTML and never
//! panics, whatever the markup.

use super::lexer::{Token, TokenKind};

/// Where a template tag sits in the HTML around it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Context {
    /// Element content (HTML text).
    Text,
    /// Inside a tag's name, start or end tag (`<{{ t }}>`, `</h{{ n }}>`).
    TagName,
    /// Where an attribute name goes (`<input {{ attrs }}>`, `<p {% if a %}hidden{% endif %}>`).
    AttrName,
    /// Inside the value of `attr` (lower-case) of the element `tag` (lower-case).
    AttrValue {
        attr: String,
        /// The quote around the value; None when unquoted.
        quote: Option<char>,
        /// Nothing literal precedes the hole in the value, bar leading whitespace (which URL
        /// parsers strip, so `href=" {{ u }}"` can still start with `javascript:`), and no
        /// other variable does in the same `{% if %}` branch.
        at_start: bool,
        tag: String,
    },
    /// Content of `<script>`.
    Script,
    /// Content of `<style>`.
    Style,
    /// `<!-- … -->`, or a bogus comment such as `<!DOCTYPE …>` or `<? … >`.
    HtmlComment,
    /// Content of another raw-text or escapable raw-text element: `textarea`, `title`,
    /// `xmp`, `iframe`, `noembed`, `noframes`.
    RawText { tag: String },
}

/// A start tag, `<` to `>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StartTag {
    /// Lower-case name; template holes in it read `{{}}`.
    pub name: String,
    /// Offset of `<`.
    pub start: usize,
    /// Offset just past `>` (the end of the source when the tag never closes).
    pub end: usize,
    /// Attributes in source order, duplicates kept.
    pub attrs: Vec<Attr>,
}

impl StartTag {
    /// The first attribute with this (lower-case) name, as a browser would keep it.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attr {
    /// Lower-case name; template holes in it read `{{}}`.
    pub name: String,
    /// The value's literal text (entities not decoded) with each template hole as `{{}}`;
    /// None for a bare attribute such as `disabled`.
    pub value: Option<String>,
    /// Offset of the name's first byte.
    pub start: usize,
}

/// An end tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EndTag {
    /// Lower-case name; template holes in it read `{{}}`.
    pub name: String,
    /// Offset of `<`.
    pub start: usize,
}

/// The HTML view of one template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Analysis {
    /// One entry per Var and Block token, in token order: (token index, context).
    pub contexts: Vec<(usize, Context)>,
    pub start_tags: Vec<StartTag>,
    pub end_tags: Vec<EndTag>,
}

impl Analysis {
    /// The context of the token at `index`, if it is a Var or Block token.
    pub fn context_of(&self, index: usize) -> Option<&Context> {
        self.contexts
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .and_then(|at| self.contexts.get(at))
            .map(|(_, context)| context)
    }
}

/// Track the HTML context through `tokens` (from `lexer::lex(src)`). Text tokens are read as
/// HTML; Var and Block tokens are holes; Comment tokens render nothing and are skipped.
pub fn analyse(src: &str, tokens: &[Token]) -> Analysis {
    let mut tracker = Tracker::default();
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            TokenKind::Text => tracker.text(token.start, token.source(src)),
            TokenKind::Var | TokenKind::Block => {
                // `{% else %}` starts another branch: what the branch before printed is not
                // in front of what this one prints.
                let name = if token.kind == TokenKind::Block {
                    super::lexer::tag_name(token.inner(src))
                } else {
                    ""
                };
                let branch = matches!(name, "else" | "elif" | "empty");
                if matches!(name, "if" | "for") {
                    tracker.branches.push(tracker.state.clone());
                }
                tracker.hole(index, token, branch);
                match name {
                    // A script (or other raw-text element) a branch left open, say by a
                    // malformed tag, is not open in the next branch when the `if` started
                    // in plain HTML.
                    _ if branch
                        && tracker.branches.last() == Some(&State::Data)
                        && matches!(tracker.state, State::Raw(_)) =>
                    {
                        tracker.state = State::Data;
                    }
                    "endif" | "endfor" => {
                        tracker.branches.pop();
                    }
                    _ => {}
                }
            }
            TokenKind::Comment => {}
        }
    }
    tracker.finish(src.len())
}

/// Elements whose content is not markup, and the context a hole in it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RawKind {
    Script,
    Style,
    Other(String),
}

impl RawKind {
    fn for_element(name: &str) -> Option<Self> {
        match name {
            "script" => Some(Self::Script),
            "style" => Some(Self::Style),
            "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes" => {
                Some(Self::Other(name.to_string()))
            }
            _ => None,
        }
    }

    fn name(&self) -> &str {
        match self {
            Self::Script => "script",
            Self::Style => "style",
            Self::Other(name) => name,
        }
    }
}

/// Tokenizer states, after the HTML standard's, merged where a template audit needs no
/// distinction.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Data,
    /// After `<`.
    TagOpen,
    /// After `</`.
    EndTagOpen,
    TagName,
    EndTagName,
    /// After an end tag's name, up to `>`.
    EndTagRest,
    BeforeAttrName,
    AttrName,
    AfterAttrName,
    BeforeAttrValue,
    /// In a value; the quote, None when unquoted.
    AttrValue(Option<char>),
    AfterAttrValueQuoted,
    /// After `/` inside a start tag.
    SelfClosing,
    /// `<!-- … -->`.
    Comment,
    /// `<!…>` other than a comment, `<?…>`, `</ …>`: ends at the first `>`.
    BogusComment,
    /// Content of a raw-text element, up to its end tag.
    Raw(RawKind),
}

/// The attribute being read.
#[derive(Debug)]
struct PendingAttr {
    name: String,
    value: Option<String>,
    start: usize,
    /// Something other than whitespace or a hole is in the value.
    literal: bool,
    /// A variable was printed earlier in the value (in the current `if` branch).
    after_var: bool,
}

#[derive(Debug)]
struct Tracker {
    state: State,
    /// Offset of the `<` of the tag being read.
    tag_start: usize,
    tag_name: String,
    attrs: Vec<Attr>,
    attr: Option<PendingAttr>,
    analysis: Analysis,
    /// The state at each open `{% if %}` / `{% for %}`.
    branches: Vec<State>,
}

impl Default for Tracker {
    fn default() -> Self {
        Self {
            state: State::Data,
            tag_start: 0,
            tag_name: String::new(),
            attrs: Vec::new(),
            attr: None,
            analysis: Analysis::default(),
            branches: Vec::new(),
        }
    }
}

fn is_html_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// Byte offset in `haystack` of `</name` (ASCII case-insensitive) followed by whitespace, `/`
/// or `>`: the end tag of a raw-text element.
fn find_end_tag(haystack: &str, name: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let name = name.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes.get(from..)?.windows(2).position(|w| w == b"</") {
        let at = from + found;
        let candidate = bytes.get(at + 2..at + 2 + name.len());
        let follower = bytes.get(at + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name))
            && matches!(
                follower,
                Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
            )
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Where the tokenizer stands in a run of text: the character under it and the offsets a step
/// needs (copied into each state's method so each gets the same view).
#[derive(Debug, Clone, Copy)]
struct Step<'s> {
    /// The whole run of text.
    text: &'s str,
    /// The text from `i` on.
    rest: &'s str,
    /// Byte offset of the character in `text`.
    i: usize,
    /// The character at `i`.
    c: char,
    /// Byte offset of the character in the template.
    at: usize,
    /// Byte offset in `text` after the character.
    next: usize,
}

impl Tracker {
    /// Reads a run of HTML text starting at byte `offset` of the template, one state step at a
    /// time; each step returns where the next one reads from.
    fn text(&mut self, offset: usize, text: &str) {
        let mut i = 0;
        while let Some(rest) = text.get(i..) {
            let Some(c) = rest.chars().next() else {
                break;
            };
            let s = Step {
                text,
                rest,
                i,
                c,
                at: offset + i,
                next: i + c.len_utf8(),
            };
            i = match self.state.clone() {
                State::Data => self.data(s),
                State::TagOpen => self.tag_open(s),
                State::EndTagOpen => self.end_tag_open(s),
                State::TagName => self.tag_name_char(s),
                State::EndTagName => self.end_tag_name_char(s),
                State::EndTagRest | State::BogusComment => self.skip_to_gt(s),
                State::BeforeAttrName => self.before_attr_name(s),
                State::AttrName => self.attr_name_char(s),
                State::AfterAttrName => self.after_attr_name(s),
                State::BeforeAttrValue => self.before_attr_value(s),
                State::AttrValue(Some(quote)) => self.quoted_value(s, quote),
                State::AttrValue(None) => self.unquoted_value_char(s),
                State::AfterAttrValueQuoted => self.after_quoted_value(s),
                State::SelfClosing => self.self_closing(s),
                State::Comment => self.comment(s),
                State::Raw(kind) => self.raw_text(s, kind),
            };
        }
    }

    /// Text between tags: skips to the next `<`.
    fn data(&mut self, s: Step) -> usize {
        match s.rest.find('<') {
            Some(lt) => {
                self.tag_start = s.at + lt;
                self.state = State::TagOpen;
                s.i + lt + 1
            }
            None => s.text.len(),
        }
    }

    /// After `<`: a start tag, an end tag, a comment, a bogus comment or a lone `<`.
    fn tag_open(&mut self, s: Step) -> usize {
        let (c, rest, mut i) = (s.c, s.rest, s.i);
        if c.is_ascii_alphabetic() {
            self.tag_name = c.to_ascii_lowercase().to_string();
            self.attrs.clear();
            self.attr = None;
            self.state = State::TagName;
            i = s.next;
        } else if c == '/' {
            self.state = State::EndTagOpen;
            i = s.next;
        } else if rest.starts_with("!--") {
            i += 3;
            self.state = State::Comment;
            // `<!-->` and `<!--->` are complete, empty comments.
            let after = s.text.get(i..).unwrap_or("");
            if after.starts_with('>') {
                i += 1;
                self.state = State::Data;
            } else if after.starts_with("->") {
                i += 2;
                self.state = State::Data;
            }
        } else if c == '!' || c == '?' {
            self.state = State::BogusComment;
            i = s.next;
        } else {
            // A lone `<` is text; read this character again as text.
            self.state = State::Data;
        }
        i
    }

    /// After `</`: an end tag's name, `</>` or a bogus comment.
    fn end_tag_open(&mut self, s: Step) -> usize {
        if s.c.is_ascii_alphabetic() {
            self.tag_name = s.c.to_ascii_lowercase().to_string();
            self.state = State::EndTagName;
            s.next
        } else if s.c == '>' {
            // `</>` is dropped.
            self.state = State::Data;
            s.next
        } else {
            self.state = State::BogusComment;
            s.i
        }
    }

    /// A character of a start tag's name.
    fn tag_name_char(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) => self.state = State::BeforeAttrName,
            '/' => self.state = State::SelfClosing,
            '>' => self.emit_start_tag(s.at + 1, false),
            c => self.tag_name.push(c.to_ascii_lowercase()),
        }
        s.next
    }

    /// A character of an end tag's name.
    fn end_tag_name_char(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) || c == '/' => {
                self.emit_end_tag();
                self.state = State::EndTagRest;
            }
            '>' => {
                self.emit_end_tag();
                self.state = State::Data;
            }
            c => self.tag_name.push(c.to_ascii_lowercase()),
        }
        s.next
    }

    /// The rest of an end tag or a bogus comment: skips past the next `>`.
    fn skip_to_gt(&mut self, s: Step) -> usize {
        match s.rest.find('>') {
            Some(gt) => {
                self.state = State::Data;
                s.i + gt + 1
            }
            None => s.text.len(),
        }
    }

    /// Between attributes of a start tag.
    fn before_attr_name(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) => {}
            '/' => self.state = State::SelfClosing,
            '>' => self.emit_start_tag(s.at + 1, false),
            c => self.begin_attr(s.at, c.to_ascii_lowercase().to_string()),
        }
        s.next
    }

    /// A character of an attribute's name.
    fn attr_name_char(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) => self.state = State::AfterAttrName,
            '/' => {
                self.end_attr();
                self.state = State::SelfClosing;
            }
            '=' => self.state = State::BeforeAttrValue,
            '>' => self.emit_start_tag(s.at + 1, false),
            c => {
                if let Some(attr) = &mut self.attr {
                    attr.name.push(c.to_ascii_lowercase());
                }
            }
        }
        s.next
    }

    /// After an attribute's name: `=`, another attribute or the end of the tag.
    fn after_attr_name(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) => {}
            '/' => {
                self.end_attr();
                self.state = State::SelfClosing;
            }
            '=' => self.state = State::BeforeAttrValue,
            '>' => self.emit_start_tag(s.at + 1, false),
            c => self.begin_attr(s.at, c.to_ascii_lowercase().to_string()),
        }
        s.next
    }

    /// After `=`: the value's opening quote, or the start of an unquoted value.
    fn before_attr_value(&mut self, s: Step) -> usize {
        if let Some(attr) = &mut self.attr {
            attr.value.get_or_insert_with(String::new);
        }
        match s.c {
            c if is_html_space(c) => s.next,
            c @ ('"' | '\'') => {
                self.state = State::AttrValue(Some(c));
                s.next
            }
            '>' => {
                self.emit_start_tag(s.at + 1, false);
                s.next
            }
            // Read this character again as the start of an unquoted value.
            _ => {
                self.state = State::AttrValue(None);
                s.i
            }
        }
    }

    /// A quoted value: copies up to the closing quote in one go.
    fn quoted_value(&mut self, s: Step, quote: char) -> usize {
        let end = s.rest.find(quote).unwrap_or(s.rest.len());
        let chunk = s.rest.get(..end).unwrap_or("");
        self.push_value(chunk);
        let mut i = s.i + end;
        if end < s.rest.len() {
            i += quote.len_utf8();
            self.end_attr();
            self.state = State::AfterAttrValueQuoted;
        }
        i
    }

    /// A character of an unquoted value.
    fn unquoted_value_char(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) => {
                self.end_attr();
                self.state = State::BeforeAttrName;
            }
            '>' => self.emit_start_tag(s.at + 1, false),
            c => {
                let mut buf = [0; 4];
                self.push_value(c.encode_utf8(&mut buf));
            }
        }
        s.next
    }

    /// After a quoted value's closing quote.
    fn after_quoted_value(&mut self, s: Step) -> usize {
        match s.c {
            c if is_html_space(c) => {
                self.state = State::BeforeAttrName;
                s.next
            }
            '/' => {
                self.state = State::SelfClosing;
                s.next
            }
            '>' => {
                self.emit_start_tag(s.at + 1, false);
                s.next
            }
            _ => {
                self.state = State::BeforeAttrName;
                s.i
            }
        }
    }

    /// After `/` in a start tag: `/>` ends a self-closing tag.
    fn self_closing(&mut self, s: Step) -> usize {
        if s.c == '>' {
            self.emit_start_tag(s.at + 1, true);
            s.next
        } else {
            self.state = State::BeforeAttrName;
            s.i
        }
    }

    /// Inside `<!-- … -->`: skips past the first `-->` or `--!>`.
    fn comment(&mut self, s: Step) -> usize {
        let close = [("-->", 3), ("--!>", 4)]
            .into_iter()
            .filter_map(|(marker, len)| s.rest.find(marker).map(|p| (p, len)))
            .min();
        match close {
            Some((p, len)) => {
                self.state = State::Data;
                s.i + p + len
            }
            None => s.text.len(),
        }
    }

    /// The content of a raw-text element (`<script>`, `<style>`, …): skips to its end tag.
    fn raw_text(&mut self, s: Step, kind: RawKind) -> usize {
        match find_end_tag(s.rest, kind.name()) {
            Some(p) => {
                self.analysis.end_tags.push(EndTag {
                    name: kind.name().to_string(),
                    start: s.at + p,
                });
                self.state = State::EndTagRest;
                s.i + p + 2 + kind.name().len()
            }
            None => s.text.len(),
        }
    }

    fn context(&self) -> Context {
        let attr_name = || {
            self.attr
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default()
        };
        match &self.state {
            State::Data => Context::Text,
            State::TagOpen
            | State::EndTagOpen
            | State::TagName
            | State::EndTagName
            | State::EndTagRest => Context::TagName,
            State::BeforeAttrName
            | State::AttrName
            | State::AfterAttrName
            | State::AfterAttrValueQuoted
            | State::SelfClosing => Context::AttrName,
            State::BeforeAttrValue => Context::AttrValue {
                attr: attr_name(),
                quote: None,
                at_start: true,
                tag: self.tag_name.clone(),
            },
            State::AttrValue(quote) => Context::AttrValue {
                attr: attr_name(),
                quote: *quote,
                at_start: !self.attr.as_ref().is_some_and(|a| a.literal || a.after_var),
                tag: self.tag_name.clone(),
            },
            State::Comment | State::BogusComment => Context::HtmlComment,
            State::Raw(RawKind::Script) => Context::Script,
            State::Raw(RawKind::Style) => Context::Style,
            State::Raw(RawKind::Other(tag)) => Context::RawText { tag: tag.clone() },
        }
    }

    /// A template tag: record its context, then step over it. A Var hole stands for some
    /// output; a Block hole usually renders nothing (`if`, `endif`), so where a name would
    /// otherwise swallow it, it ends the name instead.
    fn hole(&mut self, index: usize, token: &Token, branch: bool) {
        let context = self.context();
        self.analysis.contexts.push((index, context));
        let is_var = token.kind == TokenKind::Var;
        if let Some(attr) = &mut self.attr
            && matches!(self.state, State::AttrValue(_) | State::BeforeAttrValue)
        {
            if is_var {
                attr.after_var = true;
            } else if branch {
                attr.after_var = false;
            }
        }
        match self.state {
            State::TagOpen => {
                self.tag_name = "{{}}".to_string();
                self.attrs.clear();
                self.attr = None;
                self.state = State::TagName;
            }
            State::EndTagOpen => {
                self.tag_name = "{{}}".to_string();
                self.state = State::EndTagName;
            }
            State::TagName if is_var => self.tag_name.push_str("{{}}"),
            State::TagName => self.state = State::BeforeAttrName,
            State::EndTagName if is_var => self.tag_name.push_str("{{}}"),
            State::EndTagName => {
                self.emit_end_tag();
                self.state = State::EndTagRest;
            }
            State::BeforeAttrName
            | State::AfterAttrName
            | State::AfterAttrValueQuoted
            | State::SelfClosing => {
                if is_var {
                    self.begin_attr(token.start, "{{}}".to_string());
                } else {
                    self.end_attr();
                    self.state = State::BeforeAttrName;
                }
            }
            State::AttrName if is_var => {
                if let Some(attr) = &mut self.attr {
                    attr.name.push_str("{{}}");
                }
            }
            State::AttrName => self.state = State::AfterAttrName,
            State::BeforeAttrValue => {
                if let Some(attr) = &mut self.attr {
                    attr.value = Some("{{}}".to_string());
                }
                self.state = State::AttrValue(None);
            }
            State::AttrValue(_) => {
                if let Some(attr) = &mut self.attr {
                    attr.value.get_or_insert_with(String::new).push_str("{{}}");
                }
            }
            State::Data
            | State::EndTagRest
            | State::Comment
            | State::BogusComment
            | State::Raw(_) => {}
        }
    }

    /// Start a new attribute (ending the one being read) and read its name.
    fn begin_attr(&mut self, start: usize, name: String) {
        self.end_attr();
        self.attr = Some(PendingAttr {
            name,
            value: None,
            start,
            literal: false,
            after_var: false,
        });
        self.state = State::AttrName;
    }

    fn push_value(&mut self, chunk: &str) {
        if let Some(attr) = &mut self.attr {
            attr.literal |= chunk.chars().any(|c| !is_html_space(c));
            attr.value.get_or_insert_with(String::new).push_str(chunk);
        }
    }

    fn end_attr(&mut self) {
        if let Some(attr) = self.attr.take() {
            self.attrs.push(Attr {
                name: attr.name,
                value: attr.value,
                start: attr.start,
            });
        }
    }

    fn emit_start_tag(&mut self, end: usize, self_closing: bool) {
        self.end_attr();
        let name = std::mem::take(&mut self.tag_name);
        // A self-closed `<script/>` is treated as closed (XHTML or SVG habit) rather than, as
        // browsers do, swallowing the rest of the page as script.
        self.state = match RawKind::for_element(&name) {
            Some(kind) if !self_closing => State::Raw(kind),
            _ => State::Data,
        };
        self.analysis.start_tags.push(StartTag {
            name,
            start: self.tag_start,
            end,
            attrs: std::mem::take(&mut self.attrs),
        });
    }

    fn emit_end_tag(&mut self) {
        self.analysis.end_tags.push(EndTag {
            name: std::mem::take(&mut self.tag_name),
            start: self.tag_start,
        });
    }

    /// End of the template: a tag still open is kept, ending at the end of the source.
    fn finish(mut self, len: usize) -> Analysis {
        match self.state {
            State::TagName
            | State::BeforeAttrName
            | State::AttrName
            | State::AfterAttrName
            | State::BeforeAttrValue
            | State::AttrValue(_)
            | State::AfterAttrValueQuoted
            | State::SelfClosing => self.emit_start_tag(len, false),
            State::EndTagName => self.emit_end_tag(),
            _ => {}
        }
        self.analysis
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::lexer::{blocks, lex};

    /// The contexts of the holes of `src`, in order.
    fn contexts(src: &str) -> Vec<Context> {
        let (tokens, _) = lex(src);
        analyse(src, &tokens)
            .contexts
            .into_iter()
            .map(|(_, c)| c)
            .collect()
    }

    fn value(attr: &str, quote: Option<char>, at_start: bool, tag: &str) -> Context {
        Context::AttrValue {
            attr: attr.into(),
            quote,
            at_start,
            tag: tag.into(),
        }
    }

    #[test]
    fn a_variable_after_another_is_not_at_the_start_unless_in_another_branch() {
        let href = |at_start| value("href", Some('"'), at_start, "a");
        let cs = contexts("<a href=\"{{ base }}{{ query }}\">");
        assert_eq!(cs, vec![href(true), href(false)]);
        let cs = contexts("<a href=\"{% if a %}{{ a }}{% else %}{{ b }}{% endif %}\">");
        assert_eq!(cs.get(1), Some(&href(true)));
        assert_eq!(cs.get(3), Some(&href(true)));
    }

    #[test]
    fn a_script_left_open_by_one_branch_is_not_open_in_the_next() {
        let src = "{% if a %}<script src=\"{{ a }}\"</script>{% else %}<script src=\"{{ b }}\"></script>{% endif %}";
        let cs = contexts(src);
        assert_eq!(cs.get(3), Some(&value("src", Some('"'), true, "script")));
        // Inside a script, branches stay script.
        let cs = contexts("<script>{% if a %}{{ a }}{% else %}{{ b }}{% endif %}</script>");
        assert_eq!(cs.get(3), Some(&Context::Script));
    }

    #[test]
    fn attribute_values() {
        assert_eq!(
            contexts("<a href=\"{{ u }}\">x</a>"),
            vec![value("href", Some('"'), true, "a")]
        );
        assert_eq!(
            contexts("<a href=\"/x/{{ u }}\">"),
            vec![value("href", Some('"'), false, "a")]
        );
        assert_eq!(
            contexts("<div class={{ c }}>"),
            vec![value("class", None, true, "div")]
        );
        assert_eq!(
            contexts("<div class=a{{ c }}>"),
            vec![value("class", None, false, "div")]
        );
        assert_eq!(
            contexts("<A HREF='{% url \"x\" %}'>"),
            vec![value("href", Some('\''), true, "a")]
        );
        assert_eq!(
            contexts("<button onclick=\"go('{{ x }}')\">"),
            vec![value("onclick", Some('"'), false, "button")]
        );
        // Control-flow tags and leading whitespace do not make a value literal.
        assert_eq!(
            contexts("<a href=\" {% if a %}{{ u }}{% endif %}\">"),
            vec![
                value("href", Some('"'), true, "a"),
                value("href", Some('"'), true, "a"),
                // After the variable.
                value("href", Some('"'), false, "a"),
            ]
        );
    }

    #[test]
    fn raw_text_elements() {
        assert_eq!(
            contexts("<script>var x = \"{{ v }}\";</script>{{ after }}"),
            vec![Context::Script, Context::Text]
        );
        assert_eq!(
            contexts("<SCRIPT type=module>{{ a }}</ScRiPt >{{ b }}<style>{{ c }}</style>"),
            vec![Context::Script, Context::Text, Context::Style]
        );
        // `</scriptx` does not end a script.
        assert_eq!(
            contexts("<script>'</scriptx>'{{ a }}</script>"),
            vec![Context::Script]
        );
        assert_eq!(
            contexts("<textarea>{{ a }}<b>{{ b }}</textarea><title>{{ c }}</title>"),
            vec![
                Context::RawText {
                    tag: "textarea".into()
                },
                Context::RawText {
                    tag: "textarea".into()
                },
                Context::RawText {
                    tag: "title".into()
                },
            ]
        );
        // Self-closed script does not swallow the page.
        assert_eq!(
            contexts("<script src=\"a.js\"/>{{ x }}"),
            vec![Context::Text]
        );
    }

    #[test]
    fn comments_and_names() {
        assert_eq!(
            contexts("<!-- {{ x }} -->{{ y }}<!-->{{ z }}<!DOCTYPE {{ d }}>"),
            vec![
                Context::HtmlComment,
                Context::Text,
                Context::Text,
                Context::HtmlComment
            ]
        );
        assert_eq!(
            contexts("<h{{ n }} {{ attrs }}></h{{ n }}>"),
            vec![Context::TagName, Context::AttrName, Context::TagName]
        );
        assert_eq!(contexts("<p>a < b {{ x }}</p>"), vec![Context::Text]);
    }

    #[test]
    fn template_tags_inside_a_tag_do_not_break_it() {
        let src = "<input type=\"checkbox\" {% if on %}checked{% endif %} \
                   value={{ v }}{% if x %} data-x=\"1\"{% endif %}>{{ after }}";
        let (tokens, _) = lex(src);
        let analysis = analyse(src, &tokens);
        let got: Vec<_> = analysis.contexts.iter().map(|(_, c)| c.clone()).collect();
        assert_eq!(
            got,
            vec![
                Context::AttrName,
                Context::AttrName,
                value("value", None, true, "input"),
                // A hole after a variable is not at the start.
                value("value", None, false, "input"),
                Context::AttrName,
                Context::Text,
            ]
        );
        assert_eq!(analysis.start_tags.len(), 1, "{:?}", analysis.start_tags);
        let input = &analysis.start_tags[0];
        let attrs: Vec<_> = input
            .attrs
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_deref()))
            .collect();
        assert_eq!(
            attrs,
            vec![
                ("type", Some("checkbox")),
                ("checked", None),
                ("value", Some("{{}}{{}}")),
                ("data-x", Some("1")),
            ]
        );
        // Every Var and Block token has exactly one context, indexed by token.
        for (index, token) in tokens.iter().enumerate() {
            let holes = matches!(token.kind, TokenKind::Var | TokenKind::Block);
            assert_eq!(analysis.context_of(index).is_some(), holes);
        }
    }

    #[test]
    fn start_and_end_tags() {
        let src = "<FORM Method=\"POST\" action='/a/{{ x }}/' novalidate>\
                   {% csrf_token %}<br/><img src=x alt=\"\"></form>";
        let (tokens, _) = lex(src);
        let analysis = analyse(src, &tokens);
        let names: Vec<_> = analysis
            .start_tags
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, vec!["form", "br", "img"]);
        let form = &analysis.start_tags[0];
        assert_eq!(form.start, 0);
        assert_eq!(&src[form.end - 1..form.end], ">");
        assert_eq!(
            form.attr("method").and_then(|a| a.value.as_deref()),
            Some("POST")
        );
        assert_eq!(
            form.attr("action").and_then(|a| a.value.as_deref()),
            Some("/a/{{}}/")
        );
        assert_eq!(form.attr("novalidate").map(|a| a.value.clone()), Some(None));
        assert_eq!(form.attrs[0].start, 6);
        assert_eq!(analysis.end_tags.len(), 1);
        assert_eq!(analysis.end_tags[0].name, "form");
        assert_eq!(&src[analysis.end_tags[0].start..], "</form>");
        // The CSRF token sits in element content.
        assert_eq!(analysis.contexts[1].1, Context::Text);
    }

    #[test]
    fn malformed_html_still_gives_results() {
        // An unterminated tag is kept, ending at the end of the source.
        let src = "<a href=\"{{ u }}";
        let (tokens, _) = lex(src);
        let analysis = analyse(src, &tokens);
        assert_eq!(analysis.start_tags.len(), 1);
        assert_eq!(analysis.start_tags[0].end, src.len());
        assert_eq!(
            contexts("</ {{ x }}>{{ y }}"),
            vec![Context::HtmlComment, Context::Text]
        );
        assert_eq!(contexts("<<{{ x }}"), vec![Context::TagName]);
        // Offsets that do not fit the source are skipped, not trusted.
        let bogus = [Token {
            kind: TokenKind::Text,
            start: 3,
            end: 99,
            inner_start: 3,
            inner_end: 99,
        }];
        assert!(analyse("日本", &bogus).start_tags.is_empty());
    }

    #[test]
    fn every_prefix_is_analysed() {
        let src = "<!DOCTYPE html><html lang=\"é\"><head><title>{{ t }} – 日本</title>\
                   <style>p{color:{{ c }}}</style></head><body class='{% if a %}x{% endif %}'>\
                   <a href=/é/{{ u|urlencode }} onclick=\"go('{{ x|escapejs }}')\">日本</a>\
                   <!-- {{ hidden }} --><script>var s = \"{{ v }}\";</scr{{ i }}ipt></script>\
                   {% verbatim %}<b {{ raw }}>{% endverbatim %}<textarea>{{ body }}</TEXTAREA>\
                   <input {{ attrs }} value=\"{{ v }}\"/><?php {{ p }} ?></body></html>";
        let bytes = src.as_bytes();
        for end in 0..=bytes.len() {
            // Byte prefixes, cut mid-character too, decoded as the real reader does.
            let prefix = String::from_utf8_lossy(&bytes[..end]);
            let (tokens, _) = lex(&prefix);
            let _ = blocks(&prefix, &tokens);
            let analysis = analyse(&prefix, &tokens);
            let holes = tokens
                .iter()
                .filter(|t| matches!(t.kind, TokenKind::Var | TokenKind::Block))
                .count();
            assert_eq!(analysis.contexts.len(), holes);
            let suffix = String::from_utf8_lossy(&bytes[end..]);
            let (tokens, _) = lex(&suffix);
            let _ = analyse(&suffix, &tokens);
        }
    }
}
