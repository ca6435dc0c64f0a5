//! Template rules (`DJG2xx`): each looks at one lexed template — its tokens, block structure
//! and the HTML context of every template tag — and reports what it finds.
//!
//! Confidence: where a view renders the template with a literal context dict, the code audit
//! says what each key holds (`TemplateFile::origin`); elsewhere a variable's origin is unknown
//! and rules that only matter for attacker-controlled data report `low` (listed with
//! `--min-confidence low`). Rules that are wrong whatever the data (a variable in an unquoted
//! attribute or an event handler, a POST form without a token) report `medium` or `high`.

use crate::finding::Confidence;
use crate::rules::RuleMeta;
use crate::templates::html::Analysis;
use crate::templates::lexer::{Block, Token, TokenKind};

pub mod djg201;
pub mod djg202;
pub mod djg203;
pub mod djg204;
pub mod djg205;
pub mod djg206;
pub mod djg207;
pub mod djg208;
pub mod djg209;
pub mod djg210;
pub mod values;

/// One template, read and analysed once for all rules.
pub struct TemplateFile<'a> {
    pub rel: &'a str,
    /// The name views render it by (the path below `templates/`).
    pub name: Option<&'a str>,
    pub src: &'a str,
    pub tokens: &'a [Token],
    pub blocks: &'a [Block],
    pub html: &'a Analysis,
    pub jinja: bool,
    /// What views render this template with (key → values from each render call).
    pub context: Option<&'a rustc_hash::FxHashMap<String, Vec<&'a crate::code::TemplateContext>>>,
    /// Every template of the project, for includes and inheritance.
    pub set: &'a crate::templates::set::TemplateSet,
    /// The project's own filters and inclusion tags.
    pub library: &'a crate::templates::library::Library,
}

/// Where the value of a template variable comes from, as far as the views tell.
pub enum Origin {
    /// A view puts request data under this name: the source, as text.
    Request(String),
    /// Every view that renders the template gives a constant.
    Constant,
    /// Every view gives a constant or HTML it escaped (`format_html`, `escape`): harmless to
    /// print unescaped as HTML, not proof of anything in a script or a URL.
    Escaped,
    Unknown,
}

impl TemplateFile<'_> {
    /// What the views put under the context key a variable starts from (`q`, `q.title` → `q`).
    fn context_values(&self, base: &str) -> Option<&Vec<&crate::code::TemplateContext>> {
        let root = base.split(['.', '[']).next().unwrap_or(base).trim();
        self.context.and_then(|c| c.get(root))
    }

    /// The origin of the variable `base` (`q`, `q.title` → the context key `q`).
    pub fn origin(&self, base: &str) -> Origin {
        let Some(values) = self.context_values(base) else {
            return Origin::Unknown;
        };
        if let Some(src) = values
            .iter()
            .filter(|v| !v.weak)
            .find_map(|v| v.source.clone())
        {
            return Origin::Request(src);
        }
        if values.iter().any(|v| v.source.is_some()) {
            return Origin::Unknown;
        }
        if values.iter().all(|v| v.konst) {
            return Origin::Constant;
        }
        if values.iter().all(|v| v.konst || v.escaped) {
            return Origin::Escaped;
        }
        Origin::Unknown
    }
}

impl TemplateFile<'_> {
    /// How sure a context rule is about variable `base`, given its origin: None when every
    /// view gives a constant (nothing to report), `High` with the source when a view fills
    /// it from the request, `unlinked` otherwise.
    pub fn linked(&self, base: &str, unlinked: Confidence) -> Option<(Confidence, String)> {
        match self.origin(base) {
            Origin::Constant => None,
            Origin::Request(src) => {
                Some((Confidence::High, format!(" The view fills it from {src}.")))
            }
            Origin::Escaped | Origin::Unknown => Some((unlinked, String::new())),
        }
    }

    /// [`Self::linked`] for a variable that starts a URL: nothing to report when every view
    /// gives a constant or a URL that stays on a known origin (`/path?...`, `request.path`).
    pub fn linked_url(&self, base: &str, unlinked: Confidence) -> Option<(Confidence, String)> {
        // Only the key itself (`next`), not something reached through it (`next.url`).
        if !base.contains(['.', '['])
            && let Some(values) = self.context_values(base)
            && values.iter().all(|v| v.konst || v.anchored)
        {
            return None;
        }
        self.linked(base, unlinked)
    }

    pub fn inner(&self, t: &Token) -> &str {
        self.src.get(t.inner_start..t.inner_end).unwrap_or("")
    }

    pub fn text(&self, t: &Token) -> &str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    /// Variable tokens (`{{ ... }}`) with their index.
    pub fn vars(&self) -> impl Iterator<Item = (usize, &Token)> {
        self.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, TokenKind::Var))
    }

    /// Variable tokens with the HTML context they are printed in.
    pub fn var_contexts(&self) -> impl Iterator<Item = (&Token, &crate::templates::html::Context)> {
        self.html.contexts.iter().filter_map(|(i, ctx)| {
            self.tokens
                .get(*i)
                .filter(|t| matches!(t.kind, TokenKind::Var))
                .map(|t| (t, ctx))
        })
    }

    /// Block tag tokens (`{% ... %}`) with their index.
    pub fn tags(&self) -> impl Iterator<Item = (usize, &Token)> {
        self.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, TokenKind::Block))
    }
}

/// What a template rule found: a byte range of the template and the wording.
pub type Hit = super::Hit<std::ops::Range<usize>>;

pub struct TemplateRule {
    pub meta: RuleMeta,
    pub check: fn(&TemplateFile, &mut Vec<Hit>),
    /// The rule is about HTML output: plain-text templates (`.txt`, such as e-mail bodies and
    /// subjects, where escaping does not apply) are not checked by it.
    pub html: bool,
}

pub static TEMPLATE_RULES: &[&TemplateRule] = &[
    &djg201::RULE,
    &djg202::RULE,
    &djg203::RULE,
    &djg204::RULE,
    &djg205::RULE,
    &djg206::RULE,
    &djg207::RULE,
    &djg208::RULE,
];

/// A variable that names an identifier, a count or a flag (`obj.pk`, `item.id`,
/// `forloop.counter`): printed, it is a number, whatever the context.
pub fn numeric(base: &str) -> bool {
    values::numeric(base)
}

/// The `<script>` element a token sits in: the nearest script start tag before it.
pub fn enclosing_script<'t>(
    t: &'t TemplateFile,
    offset: usize,
) -> Option<&'t crate::templates::html::StartTag> {
    t.html
        .start_tags
        .iter()
        .rev()
        .find(|s| s.name == "script" && s.end <= offset)
}

/// The variable's text as written, shortened for a message: `{{ q|safe }}`.
pub fn shown(text: &str) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 60 {
        let cut: String = t.chars().take(57).collect();
        format!("{cut}...")
    } else {
        t
    }
}
