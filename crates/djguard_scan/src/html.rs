//! The few things `djguard scan` reads from a page's HTML: the `<meta http-equiv=
//! "Content-Security-Policy">` and `<meta name="referrer">` values, the `<title>`, the
//! `<base href>`, and every `<script src>` with its `integrity` and `crossorigin`.
//!
//! This is a hand-written scanner that follows the HTML tokenizer where it matters. It does
//! not build a tree. A full HTML5 parser (html5ever) would be a heavy dependency for five
//! facts, and its tree building isn't needed. What it gets right:
//! - tag and attribute names are ASCII case-insensitive; values may be double-quoted,
//!   single-quoted or unquoted; a repeated attribute keeps its first value, as browsers do;
//! - comments (`<!-- -->`, `--!>`, the abrupt `<!-->`), doctypes, `<? >` and bogus
//!   comments are skipped;
//! - the content of raw-text and RCDATA elements (`script`, `style`, `textarea`, `title`,
//!   `xmp`, `iframe`, `noembed`, `noframes`, `noscript`) is not scanned for tags, and
//!   `<plaintext>` ends the markup;
//! - a tag cut off by the end of the input is dropped, as the HTML tokenizer drops it;
//! - entities are decoded in attribute values and the title: `&amp; &quot; &apos; &lt; &gt;
//!   &nbsp;` and numeric references. Other named references stay as written.
//!
//! What it doesn't model: foreign content (`<svg><title>` is read as an HTML title if it comes
//! first), `<template>` (scripts inside it count), the script-data escape states
//! (`<!-- <script>` inside a script), and where a meta tag sits (browsers honour a CSP meta
//! only in `<head>`; this returns them all, as the MDN Observatory does).
//!
//! Input is arbitrary bytes: invalid UTF-8, binary or truncated. Values are decoded lossily
//! as UTF-8. The scanner is linear in the input and never panics: every position is read
//! through `get`, and nothing unwraps input data.

/// A `<script>` element with a `src` attribute.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// The `src` value as written (entities decoded). Not resolved against the page URL.
    pub src: String,
    pub integrity: Option<String>,
    pub crossorigin: Option<String>,
}

/// What [`extract`] found, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HtmlFacts {
    /// `content` of each `<meta http-equiv="Content-Security-Policy">`.
    pub meta_csp: Vec<String>,
    /// `content` of each `<meta name="referrer">` (browsers use the last one).
    pub meta_referrer: Vec<String>,
    /// The first `<title>`'s text with whitespace collapsed (capped at [`MAX_TITLE`] bytes).
    pub title: Option<String>,
    /// The first `<base href>`, which relative script URLs resolve against.
    pub base_href: Option<String>,
    /// Every `<script src=…>`, up to [`MAX_ITEMS`].
    pub scripts: Vec<Script>,
}

/// The most scripts and meta values kept. A page with more is hostile or generated. The
/// verdicts built on these lists don't change past this many.
pub const MAX_ITEMS: usize = 10_000;
/// The longest title kept, in bytes.
pub const MAX_TITLE: usize = 1024;

/// Whether a response is HTML: its `Content-Type` says `text/html` or
/// `application/xhtml+xml`. When the type is missing or unknown (`application/unknown`,
/// `unknown/unknown`, `*/*`), the body is sniffed the way the MIME Sniffing standard does:
/// after leading whitespace (and a UTF-8 BOM), does it open with `<!DOCTYPE HTML`, `<html`,
/// `<head`, `<script`, `<body`, `<!--` or another of the standard's HTML tags?
pub fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim_matches(|c: char| c.is_ascii_whitespace()))
        .unwrap_or("");
    let sniff = essence.is_empty()
        || ["unknown/unknown", "application/unknown", "*/*"]
            .iter()
            .any(|u| essence.eq_ignore_ascii_case(u));
    if !sniff {
        return essence.eq_ignore_ascii_case("text/html")
            || essence.eq_ignore_ascii_case("application/xhtml+xml");
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
        .unwrap_or(body.len());
    let rest = body.get(start..).unwrap_or_default();
    const PATTERNS: [&[u8]; 17] = [
        b"<!DOCTYPE HTML",
        b"<HTML",
        b"<HEAD",
        b"<SCRIPT",
        b"<IFRAME",
        b"<H1",
        b"<DIV",
        b"<FONT",
        b"<TABLE",
        b"<A",
        b"<STYLE",
        b"<TITLE",
        b"<B",
        b"<BODY",
        b"<BR",
        b"<P",
        b"<!--",
    ];
    PATTERNS
        .iter()
        .any(|p| starts_with_ignore_case(rest, p) && matches!(rest.get(p.len()), Some(b' ' | b'>')))
}

/// Scan an HTML body. Never panics, whatever the bytes.
pub fn extract(body: &[u8]) -> HtmlFacts {
    let mut facts = HtmlFacts::default();
    let mut i = 0;
    while let Some(lt) = find_byte(body, i, b'<') {
        i = lt + 1;
        match body.get(i) {
            Some(b'!') => {
                i = if body.get(i + 1..i + 3) == Some(&b"--"[..]) {
                    skip_comment(body, i + 3)
                } else {
                    skip_to_gt(body, i)
                };
            }
            Some(b'?') => i = skip_to_gt(body, i),
            Some(b'/') => match body.get(i + 1) {
                Some(c) if c.is_ascii_alphabetic() => match read_tag(body, i + 1, |_, _| {}) {
                    Some((_, end)) => i = end,
                    None => break,
                },
                Some(b'>') => i += 2,
                Some(_) => i = skip_to_gt(body, i + 1),
                None => break,
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let mut tag = TagAttrs::default();
                let Some((name, end)) = read_tag(body, i, |n, v| tag.offer(n, v)) else {
                    break; // cut off by the end of the input: browsers drop the tag
                };
                i = end;
                match name {
                    Element::Script => {
                        if let Some(src) = tag.src
                            && facts.scripts.len() < MAX_ITEMS
                        {
                            facts.scripts.push(Script {
                                src: decode(src),
                                integrity: tag.integrity.map(decode),
                                crossorigin: tag.crossorigin.map(decode),
                            });
                        }
                        i = skip_raw_text(body, i, b"script");
                    }
                    Element::Meta => tag.meta_into(&mut facts),
                    Element::Base => {
                        if facts.base_href.is_none() {
                            facts.base_href = tag.href.map(decode);
                        }
                    }
                    Element::Title => {
                        let end = find_end_tag(body, i, b"title");
                        if facts.title.is_none() {
                            let text = body.get(i..end.unwrap_or(body.len())).unwrap_or_default();
                            facts.title = Some(title_text(text));
                        }
                        i = end.map_or(body.len(), |e| skip_to_gt(body, e));
                    }
                    Element::RawText(raw) => i = skip_raw_text(body, i, raw),
                    Element::Plaintext => break,
                    Element::Other => {}
                }
            }
            _ => {} // a lone `<` is text
        }
    }
    facts
}

/// The start tags the scanner acts on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Element {
    Script,
    Meta,
    Base,
    Title,
    RawText(&'static [u8]),
    Plaintext,
    Other,
}

fn element(name: &[u8]) -> Element {
    const RAW: [&[u8]; 7] = [
        b"style",
        b"textarea",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
        b"noscript",
    ];
    if name.eq_ignore_ascii_case(b"script") {
        Element::Script
    } else if name.eq_ignore_ascii_case(b"meta") {
        Element::Meta
    } else if name.eq_ignore_ascii_case(b"base") {
        Element::Base
    } else if name.eq_ignore_ascii_case(b"title") {
        Element::Title
    } else if name.eq_ignore_ascii_case(b"plaintext") {
        Element::Plaintext
    } else if let Some(raw) = RAW.iter().find(|r| name.eq_ignore_ascii_case(r)) {
        Element::RawText(raw)
    } else {
        Element::Other
    }
}

/// The attributes we keep, as raw (undecoded) slices; the first occurrence wins.
#[derive(Default)]
struct TagAttrs<'a> {
    src: Option<&'a [u8]>,
    integrity: Option<&'a [u8]>,
    crossorigin: Option<&'a [u8]>,
    http_equiv: Option<&'a [u8]>,
    name: Option<&'a [u8]>,
    content: Option<&'a [u8]>,
    href: Option<&'a [u8]>,
}

impl<'a> TagAttrs<'a> {
    fn offer(&mut self, name: &[u8], value: &'a [u8]) {
        let slot = match name.len() {
            3 if name.eq_ignore_ascii_case(b"src") => &mut self.src,
            9 if name.eq_ignore_ascii_case(b"integrity") => &mut self.integrity,
            11 if name.eq_ignore_ascii_case(b"crossorigin") => &mut self.crossorigin,
            10 if name.eq_ignore_ascii_case(b"http-equiv") => &mut self.http_equiv,
            4 if name.eq_ignore_ascii_case(b"name") => &mut self.name,
            7 if name.eq_ignore_ascii_case(b"content") => &mut self.content,
            4 if name.eq_ignore_ascii_case(b"href") => &mut self.href,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }

    fn meta_into(self, facts: &mut HtmlFacts) {
        let Some(content) = self.content else {
            return; // browsers need both attributes
        };
        // Browsers compare http-equiv and name ASCII case-insensitively, without trimming;
        // the Observatory trims. Trimming keeps what either would use.
        let is =
            |v: Option<&[u8]>, want: &[u8]| v.is_some_and(|v| trim(v).eq_ignore_ascii_case(want));
        if is(self.http_equiv, b"content-security-policy") {
            if facts.meta_csp.len() < MAX_ITEMS {
                facts.meta_csp.push(decode(content));
            }
        } else if self.http_equiv.is_none()
            && is(self.name, b"referrer")
            && facts.meta_referrer.len() < MAX_ITEMS
        {
            facts.meta_referrer.push(decode(content));
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&b| !is_space(b)).unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |e| e + 1);
    v.get(start..end).unwrap_or_default()
}

fn find_byte(s: &[u8], from: usize, b: u8) -> Option<usize> {
    s.get(from..)?
        .iter()
        .position(|&c| c == b)
        .map(|p| p + from)
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Past the next `>` (or the end).
fn skip_to_gt(s: &[u8], from: usize) -> usize {
    find_byte(s, from, b'>').map_or(s.len(), |p| p + 1)
}

/// `from` is just after `<!--`. Past `-->` or `--!>`. `<!-->` and `<!--->` close at once.
fn skip_comment(s: &[u8], from: usize) -> usize {
    match s.get(from..) {
        Some([b'>', ..]) => return from + 1,
        Some([b'-', b'>', ..]) => return from + 2,
        _ => {}
    }
    let mut i = from;
    while let Some(dash) = find_byte(s, i, b'-') {
        match s.get(dash..) {
            Some([b'-', b'-', b'>', ..]) => return dash + 3,
            Some([b'-', b'-', b'!', b'>', ..]) => return dash + 4,
            _ => i = dash + 1,
        }
    }
    s.len()
}

/// The start of the next `</name` followed by whitespace, `/` or `>` (case-insensitive).
fn find_end_tag(s: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(lt) = find_byte(s, i, b'<') {
        let after = lt + 2 + name.len();
        if s.get(lt + 1) == Some(&b'/')
            && s.get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && s.get(after)
                .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return Some(lt);
        }
        i = lt + 1;
    }
    None
}

/// Past the end tag that closes a raw-text element (or to the end of the input).
fn skip_raw_text(s: &[u8], from: usize, name: &[u8]) -> usize {
    match find_end_tag(s, from, name) {
        // The end tag's own attributes, if any, are tokenized like a start tag's.
        Some(lt) => read_tag(s, lt + 2, |_, _| {}).map_or(s.len(), |(_, end)| end),
        None => s.len(),
    }
}

/// Read a tag whose name starts at `from`, handing each attribute to `attr` as raw slices.
/// Returns the element and the index after `>`, or `None` when the input ends first.
fn read_tag<'a>(
    s: &'a [u8],
    from: usize,
    mut attr: impl FnMut(&'a [u8], &'a [u8]),
) -> Option<(Element, usize)> {
    let rest = s.get(from..)?;
    let name_len = rest
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    let mut i = from + name_len;
    loop {
        // Before an attribute name: whitespace and stray slashes are skipped.
        let &c = s.get(i)?;
        if is_space(c) || c == b'/' {
            i += 1;
            continue;
        }
        if c == b'>' {
            return Some((element(name), i + 1));
        }
        // The name runs to whitespace, `/`, `>` or `=` (a leading `=` belongs to the name).
        let name_start = i;
        i += 1;
        while let Some(&b) = s.get(i) {
            if is_space(b) || b == b'/' || b == b'>' || b == b'=' {
                break;
            }
            i += 1;
        }
        let attr_name = s.get(name_start..i)?;
        while s.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        if s.get(i) != Some(&b'=') {
            attr(attr_name, b"");
            continue; // `/`, `>` or the next name: the loop top handles them
        }
        i += 1;
        while s.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        let value = match *s.get(i)? {
            q @ (b'"' | b'\'') => {
                let close = find_byte(s, i + 1, q)?;
                let v = s.get(i + 1..close)?;
                i = close + 1;
                v
            }
            b'>' => b"", // `a=>`: an empty value, and the tag ends
            _ => {
                let start = i;
                while let Some(&b) = s.get(i) {
                    if is_space(b) || b == b'>' {
                        break;
                    }
                    i += 1;
                }
                s.get(start..i)?
            }
        };
        attr(attr_name, value);
    }
}

/// Title text: entities decoded, ASCII whitespace collapsed, trimmed, capped.
fn title_text(raw: &[u8]) -> String {
    let decoded = decode(raw);
    let mut out = String::with_capacity(decoded.len().min(MAX_TITLE));
    for word in decoded
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > MAX_TITLE {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An attribute value or text as a string: lossy UTF-8, with the common character
/// references decoded. Returns the input as-is (one copy) when it holds no `&`.
fn decode(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !text.contains('&') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        rest = rest.get(amp..).unwrap_or_default();
        match char_ref(rest) {
            Some((c, used)) => {
                out.push(c);
                rest = rest.get(used..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `s` (which starts with `&`) stands for, and
/// how many bytes it spans.
fn char_ref(s: &str) -> Option<(char, usize)> {
    let body = s.get(1..)?;
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (num, 10, 2),
        };
        let len = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        let value = digits
            .get(..len)?
            .chars()
            .filter_map(|c| c.to_digit(radix))
            .fold(0u32, |acc, d| acc.saturating_mul(radix).saturating_add(d));
        let c = match value {
            0 => '\u{FFFD}',
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        let semi = usize::from(digits.as_bytes().get(len) == Some(&b';'));
        return Some((c, skip + len + semi));
    }
    const NAMED: [(&str, char); 6] = [
        ("amp", '&'),
        ("quot", '"'),
        ("apos", '\''),
        ("lt", '<'),
        ("gt", '>'),
        ("nbsp", '\u{A0}'),
    ];
    for (name, c) in NAMED {
        if let Some(after) = body.strip_prefix(name) {
            if after.starts_with(';') {
                return Some((c, 1 + name.len() + 1));
            }
            // The legacy forms without `;` (not `&apos`), unless an alphanumeric or `=`
            // follows, as in a URL's query string.
            let next = after.bytes().next();
            if name != "apos" && !next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'=') {
                return Some((c, 1 + name.len()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_entities() {
        let f = extract(
            br#"<!doctype html><HTML><head><META HTTP-EQUIV=content-security-policy CONTENT="default-src 'self'; img-src &apos;self&#39; &quot;x&quot;">
            <meta name='Referrer' content='no-referrer'><title> A &amp; B
             page </title><base href=/static/>
            <SCRIPT src=/a.js?x=1&amp;y=2 integrity="sha384-abc" crossorigin></script>
            <script>document.write('<script src=/evil.js></script>')</script>
            <!-- <script src=/commented.js></script> -->
            <script src="//cdn.example/b.js" src="/ignored.js" CrossOrigin=anonymous>"#,
        );
        assert_eq!(f.meta_csp, ["default-src 'self'; img-src 'self' \"x\""]);
        assert_eq!(f.meta_referrer, ["no-referrer"]);
        assert_eq!(f.title.as_deref(), Some("A & B page"));
        assert_eq!(f.base_href.as_deref(), Some("/static/"));
        assert_eq!(f.scripts.len(), 2);
        assert_eq!(f.scripts[0].src, "/a.js?x=1&y=2");
        assert_eq!(f.scripts[0].integrity.as_deref(), Some("sha384-abc"));
        assert_eq!(f.scripts[0].crossorigin.as_deref(), Some(""));
        assert_eq!(f.scripts[1].src, "//cdn.example/b.js");
        assert_eq!(f.scripts[1].crossorigin.as_deref(), Some("anonymous"));
    }

    #[test]
    fn entity_edge_cases() {
        assert_eq!(
            decode(b"&#x41;&#66;&#0;&#xFFFFFFFFFF;&bogus;&"),
            "AB\u{FFFD}\u{FFFD}&bogus;&"
        );
        assert_eq!(decode(b"a&ampb &amp=1 &amp x"), "a&ampb &amp=1 & x");
    }

    #[test]
    fn sniffing() {
        assert!(is_html(Some("text/html; charset=utf-8"), b""));
        assert!(is_html(Some(" TEXT/HTML"), b""));
        assert!(!is_html(Some("application/json"), b"<html>"));
        assert!(is_html(None, b"\xEF\xBB\xBF \n<!DOCTYPE html>"));
        assert!(is_html(Some("*/*"), b"<p>hi"));
        assert!(!is_html(None, b"<pre>"));
        assert!(!is_html(None, b""));
    }
}
