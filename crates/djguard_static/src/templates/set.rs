//! The project's templates as a set: which template extends or includes which, what each
//! block holds. Rules that look past one file use it: a form whose `{% csrf_token %}` sits in
//! an included template or in a block a child fills, and a view's context reaching the
//! templates its template extends or includes.

use rustc_hash::FxHashMap as HashMap;

use super::lexer::{self, Block, Token, TokenKind};

/// `{% include "name" with a=b only %}`: the target, the keys it sets, and whether the
/// included template sees only those.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Include {
    /// None when the name is not a literal (`{% include widget.template_name %}`).
    pub name: Option<String>,
    pub with: Vec<String>,
    pub only: bool,
}

/// What the set needs from one template.
#[derive(Debug, Default)]
pub struct Info {
    pub extends: Option<String>,
    pub includes: Vec<Include>,
    /// The template prints a CSRF token somewhere (`{% csrf_token %}`, `{{ csrf_input }}`).
    pub has_token: bool,
    /// Each `{% block name %}`: whether its content prints a token, and what it includes.
    pub blocks: Vec<(String, bool, Vec<Include>)>,
    /// Jinja macros whose body prints a token (`{% macro csrf_field() %}<input
    /// name="csrfmiddlewaretoken" ...>{% endmacro %}`).
    pub token_macros: Vec<String>,
}

/// A quoted literal's text, or None for a variable.
fn literal(word: &str) -> Option<String> {
    let w = word.trim();
    let q = w.chars().next()?;
    if (q == '"' || q == '\'') && w.len() >= 2 && w.ends_with(q) {
        w.get(1..w.len() - 1).map(str::to_string)
    } else {
        None
    }
}

/// Whether a token prints a CSRF token: `{% csrf_token %}`, `{{ csrf_input }}`,
/// `{{ csrf_token }}` (in a hidden input), or a call that is handed the token to print
/// (`{{ macros.csrf_field(csrf_token) }}`).
pub fn is_token(src: &str, t: &Token) -> bool {
    let inner = t.inner(src);
    match t.kind {
        TokenKind::Block => lexer::tag_name(inner) == "csrf_token",
        TokenKind::Var => {
            let base = lexer::parse_var(inner).base;
            let bare = base.trim_end_matches("()");
            bare == "csrf_input" || bare == "csrf_token" || passes_token(&base)
        }
        _ => false,
    }
}

/// A call with `csrf_token` (or `csrf_input`) among its arguments.
fn passes_token(expr: &str) -> bool {
    let Some((_, args)) = expr.split_once('(') else {
        return false;
    };
    args.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .any(|w| matches!(w, "csrf_token" | "csrf_input" | "request.csrf_token"))
}

/// The macro a `{{ name(...) }}` or `{{ lib.name(...) }}` calls.
pub fn macro_call(src: &str, t: &Token) -> Option<String> {
    if t.kind != TokenKind::Var {
        return None;
    }
    let base = lexer::parse_var(t.inner(src)).base;
    let (callee, _) = base.split_once('(')?;
    let name = callee.rsplit('.').next()?.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| name.to_string())
}

/// The include a tag token makes, if it is `{% include %}`.
pub fn include_of(src: &str, t: &Token) -> Option<Include> {
    if !matches!(t.kind, TokenKind::Block) {
        return None;
    }
    let inner = t.inner(src);
    if lexer::tag_name(inner) != "include" {
        return None;
    }
    let args = lexer::tag_args(inner);
    let mut inc = Include {
        name: args.first().and_then(|a| literal(a)),
        ..Include::default()
    };
    for a in args.iter().skip(1) {
        if a == "only" {
            inc.only = true;
        } else if let Some((k, _)) = a.split_once('=') {
            inc.with.push(k.trim().to_string());
        }
    }
    Some(inc)
}

impl Info {
    pub fn new(src: &str, tokens: &[Token], blocks: &[Block]) -> Info {
        let mut info = Info::default();
        for t in tokens {
            if is_token(src, t) {
                info.has_token = true;
            }
            if let Some(inc) = include_of(src, t) {
                info.includes.push(inc);
            } else if matches!(t.kind, TokenKind::Block)
                && lexer::tag_name(t.inner(src)) == "extends"
                && info.extends.is_none()
            {
                info.extends = lexer::tag_args(t.inner(src))
                    .first()
                    .and_then(|a| literal(a));
            }
        }
        for b in blocks.iter().filter(|b| b.name == "block") {
            let Some(open) = tokens.get(b.open) else {
                continue;
            };
            let Some(name) = lexer::tag_args(open.inner(src)).into_iter().next() else {
                continue;
            };
            let end = b.close.unwrap_or(tokens.len());
            let inside = tokens.get(b.open + 1..end).unwrap_or(&[]);
            let token = inside.iter().any(|t| is_token(src, t));
            let includes = inside.iter().filter_map(|t| include_of(src, t)).collect();
            info.blocks.push((name, token, includes));
        }
        for b in blocks.iter().filter(|b| b.name == "macro") {
            let Some(open) = tokens.get(b.open) else {
                continue;
            };
            let header = open.inner(src).trim_start();
            let name = header
                .get(5..)
                .unwrap_or("")
                .split('(')
                .next()
                .unwrap_or("")
                .trim();
            let end = b.close.unwrap_or(tokens.len());
            let inside = tokens.get(b.open + 1..end).unwrap_or(&[]);
            let token = inside.iter().any(|t| {
                is_token(src, t)
                    || (t.kind == TokenKind::Text && t.source(src).contains("csrfmiddlewaretoken"))
            });
            if token && !name.is_empty() {
                info.token_macros.push(name.to_string());
            }
        }
        info
    }
}

/// Every template of the project by name (the path below its `templates/` folder).
#[derive(Default)]
pub struct TemplateSet {
    by_name: HashMap<String, Info>,
    /// Templates that extend each template, directly.
    children: HashMap<String, Vec<String>>,
}

/// Include chains and inheritance are followed this deep (they are short in practice; a
/// cycle must not loop).
const MAX_DEPTH: usize = 8;

impl TemplateSet {
    pub fn new(templates: impl IntoIterator<Item = (String, Info)>) -> TemplateSet {
        let mut set = TemplateSet::default();
        for (name, info) in templates {
            if let Some(parent) = &info.extends {
                set.children
                    .entry(parent.clone())
                    .or_default()
                    .push(name.clone());
            }
            set.by_name.entry(name).or_insert(info);
        }
        set
    }

    pub fn get(&self, name: &str) -> Option<&Info> {
        self.by_name.get(name)
    }

    /// Whether some project template defines a macro of this name that prints a token.
    pub fn macro_has_token(&self, name: &str) -> bool {
        self.by_name
            .values()
            .any(|i| i.token_macros.iter().any(|m| m == name))
    }

    /// Whether the project template `name` (or one it includes) prints a token; None when it
    /// is not in the project.
    pub fn template_has_token(&self, name: &str) -> Option<bool> {
        self.token_in(name, 0)
    }

    /// Whether including `name` prints a CSRF token: None when the template is not in the
    /// project (or the name is not a literal).
    pub fn include_has_token(&self, inc: &Include) -> Option<bool> {
        self.token_in(inc.name.as_deref()?, 0)
    }

    fn token_in(&self, name: &str, depth: usize) -> Option<bool> {
        let info = self.by_name.get(name)?;
        if info.has_token {
            return Some(true);
        }
        if depth >= MAX_DEPTH {
            return Some(false);
        }
        let mut known = true;
        for inc in &info.includes {
            match inc
                .name
                .as_deref()
                .and_then(|n| self.token_in(n, depth + 1))
            {
                Some(true) => return Some(true),
                Some(false) => {}
                None => known = false,
            }
        }
        known.then_some(false)
    }

    /// For `{% block name %}` inside a form of `template`: None when no project template
    /// extends it (the block's content is not known), otherwise whether some descendant fills
    /// the block with a token (directly or through an include).
    pub fn block_filled_with_token(&self, template: &str, block: &str) -> Option<bool> {
        let mut stack: Vec<(&str, usize)> = vec![(template, 0)];
        let mut any_child = false;
        let mut unknown = false;
        while let Some((name, depth)) = stack.pop() {
            if depth >= MAX_DEPTH {
                continue;
            }
            for child in self.children.get(name).into_iter().flatten() {
                any_child = true;
                let Some(info) = self.by_name.get(child) else {
                    continue;
                };
                for (b, token, includes) in &info.blocks {
                    if b != block {
                        continue;
                    }
                    if *token {
                        return Some(true);
                    }
                    for inc in includes {
                        match self.include_has_token(inc) {
                            Some(true) => return Some(true),
                            Some(false) => {}
                            None => unknown = true,
                        }
                    }
                }
                stack.push((child, depth + 1));
            }
        }
        if unknown || !any_child {
            None
        } else {
            Some(false)
        }
    }

    /// The templates a template's context reaches: those it extends and those it includes
    /// (without `only`), with the keys an include's `with` replaces.
    pub fn reached(&self, name: &str) -> Vec<(String, Vec<String>)> {
        let Some(info) = self.by_name.get(name) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(parent) = &info.extends {
            out.push((parent.clone(), Vec::new()));
        }
        for inc in &info.includes {
            if let (Some(n), false) = (&inc.name, inc.only) {
                out.push((n.clone(), inc.with.clone()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{Info, TemplateSet};
    use crate::templates::lexer;

    fn info(src: &str) -> Info {
        let (tokens, _) = lexer::lex(src);
        let (blocks, _) = lexer::blocks(src, &tokens);
        Info::new(src, &tokens, &blocks)
    }

    #[test]
    fn includes_extends_and_blocks() {
        let i = info(
            r#"{% extends "base.html" %}{% block form %}{% csrf_token %}{% include 'f.html' with a=b only %}{% endblock %}"#,
        );
        assert_eq!(i.extends.as_deref(), Some("base.html"));
        assert!(i.has_token);
        assert_eq!(i.includes.len(), 1);
        assert_eq!(i.includes[0].name.as_deref(), Some("f.html"));
        assert_eq!(i.includes[0].with, vec!["a".to_string()]);
        assert!(i.includes[0].only);
        assert_eq!(i.blocks.len(), 1);
        assert!(i.blocks[0].1);
    }

    #[test]
    fn tokens_through_includes_and_children() {
        let set = TemplateSet::new([
            (
                "base.html".to_string(),
                info("<form method=post>{% block f %}{% endblock %}</form>"),
            ),
            (
                "child.html".to_string(),
                info(
                    r#"{% extends "base.html" %}{% block f %}{% include "tok.html" %}{% endblock %}"#,
                ),
            ),
            ("tok.html".to_string(), info("{% csrf_token %}")),
            (
                "bare.html".to_string(),
                info("<form method=post>{% block g %}{% endblock %}</form>"),
            ),
            (
                "child2.html".to_string(),
                info(r#"{% extends "bare.html" %}{% block g %}<input>{% endblock %}"#),
            ),
            (
                "loop.html".to_string(),
                info(r#"{% include "loop.html" %}"#),
            ),
        ]);
        assert_eq!(set.block_filled_with_token("base.html", "f"), Some(true));
        assert_eq!(set.block_filled_with_token("bare.html", "g"), Some(false));
        assert_eq!(set.block_filled_with_token("tok.html", "f"), None);
        let inc = |n: &str| super::Include {
            name: Some(n.to_string()),
            ..Default::default()
        };
        assert_eq!(set.include_has_token(&inc("tok.html")), Some(true));
        assert_eq!(set.include_has_token(&inc("loop.html")), Some(false));
        assert_eq!(set.include_has_token(&inc("missing.html")), None);
        assert_eq!(set.reached("child.html").len(), 2);
    }
}
