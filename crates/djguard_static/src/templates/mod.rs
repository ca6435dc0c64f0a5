//! Template reading: the Django template language and Jinja2 cut into tokens, their block
//! structure, and the HTML context each template tag lands in. This is the input side of the
//! template rules; it reads and locates, never renders, and never fails on malformed input
//! (it reports diagnostics instead).

pub mod audit;
pub mod html;
pub mod lexer;
pub mod library;
pub mod set;

#[cfg(test)]
mod tests {
    use super::html::analyse;
    use super::lexer::{TokenKind, blocks, lex, parse_var, tag_args, tag_name};

    /// Fragments that tend to confuse a template or HTML reader.
    const FRAGMENTS: &[&str] = &[
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "-",
        "+",
        " ",
        "\n",
        "<",
        ">",
        "</",
        "/>",
        "\"",
        "'",
        "=",
        "|",
        ":",
        "(",
        ")",
        "\\",
        "<!--",
        "-->",
        "<!",
        "<?",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<textarea>",
        "<a href=",
        "onclick=",
        "if x",
        "endif",
        " verbatim ",
        " endverbatim ",
        " raw ",
        " endraw ",
        " comment ",
        " endcomment ",
        " block b ",
        " endblock ",
        " set y ",
        " endset ",
        " trans ",
        " endtrans ",
        "x|safe",
        "default:\"a|b\"",
        "é",
        "日本",
        "\u{fffd}",
        "\u{0}",
    ];

    /// Deterministic pseudo-random templates (a 64-bit LCG) through every stage.
    #[test]
    fn random_fragment_soup_never_panics() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        for _ in 0..3000 {
            let len = next() % 24;
            let src: String = (0..len)
                .map(|_| FRAGMENTS[next() % FRAGMENTS.len()])
                .collect();
            let (tokens, _) = lex(&src);
            let rebuilt: String = tokens.iter().map(|t| t.source(&src)).collect();
            assert_eq!(rebuilt, src);
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
            for block in found {
                assert!(block.open < tokens.len());
                assert!(
                    block
                        .close
                        .is_none_or(|c| c > block.open && c < tokens.len())
                );
            }
            let analysis = analyse(&src, &tokens);
            let holes = tokens
                .iter()
                .filter(|t| matches!(t.kind, TokenKind::Var | TokenKind::Block))
                .count();
            assert_eq!(analysis.contexts.len(), holes, "{src:?}");
        }
    }
}
