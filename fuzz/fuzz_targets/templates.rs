//! Arbitrary bytes as a template: lexing, variable and tag reading, block matching, the
//! HTML context tracker, the cross-template set (includes, blocks) and every template rule
//! must finish without panicking, and keep their offset promises.
#![no_main]

use djguard::rules::templates::TEMPLATE_RULES;
use djguard::templates::audit::audit_one;
use djguard::templates::html::analyse;
use djguard::templates::set::{Info, TemplateSet};
use djguard::templates::lexer::{TokenKind, blocks, lex, parse_var, tag_args, tag_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let (tokens, diagnostics) = lex(&src);

    // Tokens are contiguous, on character boundaries, and rebuild the source.
    let mut at = 0;
    for token in &tokens {
        assert_eq!(token.start, at);
        assert!(token.start <= token.inner_start);
        assert!(token.inner_start <= token.inner_end);
        assert!(token.inner_end <= token.end);
        for offset in [token.start, token.end, token.inner_start, token.inner_end] {
            assert!(src.is_char_boundary(offset));
        }
        at = token.end;
    }
    assert_eq!(at, src.len());
    assert!(diagnostics.iter().all(|d| d.offset <= src.len()));

    for token in &tokens {
        let inner = token.inner(&src);
        match token.kind {
            TokenKind::Var => {
                let _ = parse_var(inner);
            }
            TokenKind::Block => {
                let _ = (tag_name(inner), tag_args(inner));
            }
            TokenKind::Text | TokenKind::Comment => {}
        }
    }

    let (found, _) = blocks(&src, &tokens);
    for block in &found {
        assert!(block.open < tokens.len());
        assert!(
            block
                .close
                .is_none_or(|close| close > block.open && close < tokens.len())
        );
    }

    let analysis = analyse(&src, &tokens);
    let holes = tokens
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Var | TokenKind::Block))
        .count();
    assert_eq!(analysis.contexts.len(), holes);
    for tag in &analysis.start_tags {
        assert!(tag.start < tag.end && tag.end <= src.len());
    }

    // The input as a template that includes and extends itself, and fills its own blocks.
    let info = Info::new(&src, &tokens, &found);
    let blocks_named: Vec<String> = info.blocks.iter().map(|b| b.0.clone()).collect();
    let includes = info.includes.clone();
    let set = TemplateSet::new([
        ("t.html".to_string(), info),
        (
            "base.html".to_string(),
            Info::new(&src, &tokens, &found),
        ),
    ]);
    for b in &blocks_named {
        let _ = set.block_filled_with_token("t.html", b);
        let _ = set.block_filled_with_token("base.html", b);
    }
    for inc in &includes {
        let _ = set.include_has_token(inc);
    }
    let _ = set.reached("t.html");

    // Every template rule, as a Django and as a Jinja2 template.
    let rules: Vec<_> = TEMPLATE_RULES.iter().collect();
    for rel in ["app/templates/app/t.html", "app/jinja2/app/t.html"] {
        let (findings, _, _) = audit_one(rel, &src, &rules, None);
        for f in &findings {
            assert!(f.span().is_some_and(|s| s.line >= 1 && s.column >= 1));
        }
    }
});
