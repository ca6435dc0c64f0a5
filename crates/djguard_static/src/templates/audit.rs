//! The template audit: find the project's templates, read and lex each once, track the HTML
//! context of every template tag, and run the `DJG2xx` rules over them. A template that
//! cannot be read is an `errors` entry; one that does not lex cleanly is still analysed as far
//! as it goes (lexing never fails, it reports diagnostics).

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use crate::code::TemplateContext;

use crate::finding::Finding;
use crate::project::{FileError, Project};
use crate::python::Lines;
use crate::rules::RuleMeta;
use crate::rules::templates::{TEMPLATE_RULES, TemplateFile};
use crate::templates::library::Library;
use crate::templates::set::{self, TemplateSet};
use crate::templates::{html, lexer};

/// File names that hold templates, when they sit under a `templates/` or `jinja2/` folder.
const EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "txt", "xml", "svg", "jinja", "jinja2", "j2", "djhtml", "tpl",
];

/// Template folders the settings name (`TEMPLATES[...]["DIRS"]`), relative to the project
/// root, and whether their backend is Jinja2. Templates in them are named by the path below
/// the folder.
#[derive(Debug, Default, Clone)]
pub struct TemplateDirs(pub Vec<(String, bool)>);

impl TemplateDirs {
    /// The configured folder a file is in (the deepest one), if any.
    fn dir_of(&self, rel: &str) -> Option<&(String, bool)> {
        self.0
            .iter()
            .filter(|(d, _)| {
                d.is_empty()
                    || rel
                        .strip_prefix(d.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|(d, _)| d.len())
    }

    pub fn is_template(&self, rel: &str) -> bool {
        if is_template(rel) {
            return true;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        EXTENSIONS.contains(&ext.as_str()) && self.dir_of(rel).is_some()
    }

    pub fn template_name<'r>(&self, rel: &'r str) -> Option<&'r str> {
        match self.dir_of(rel) {
            Some((d, _)) if d.is_empty() => Some(rel),
            Some((d, _)) => rel.get(d.len() + 1..),
            None => template_name(rel),
        }
    }

    pub fn is_jinja(&self, rel: &str) -> bool {
        self.dir_of(rel)
            .map_or_else(|| is_jinja(rel), |(_, j)| *j || is_jinja(rel))
    }
}

/// Whether a project file is a template: under a `templates` or `jinja2` folder, with a
/// template extension; or a Jinja2 file anywhere.
pub fn is_template(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    if matches!(ext.as_str(), "jinja" | "jinja2" | "j2") {
        return true;
    }
    EXTENSIONS.contains(&ext.as_str())
        && rel
            .split('/')
            .rev()
            .skip(1)
            .any(|d| d == "templates" || d == "jinja2")
}

/// The name a view renders a template by: the path below its `templates/` (or `jinja2/`)
/// folder.
pub fn template_name(rel: &str) -> Option<&str> {
    let mut best = None;
    for marker in ["templates/", "jinja2/"] {
        let mut search = 0;
        while let Some(i) = rel.get(search..).and_then(|r| r.find(marker)) {
            let at = search + i;
            if at == 0 || rel.as_bytes().get(at - 1) == Some(&b'/') {
                best = Some(at + marker.len());
            }
            search = at + marker.len();
        }
    }
    best.and_then(|i| rel.get(i..))
}

/// Jinja2 templates: by extension or by living under a `jinja2/` folder (Django's convention
/// for the Jinja2 backend).
pub fn is_jinja(rel: &str) -> bool {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "jinja" | "jinja2" | "j2") || rel.split('/').any(|d| d == "jinja2")
}

/// What the audit found, plus what it could not read and how many templates had lexing
/// diagnostics (reported in the summary, not as findings).
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub templates: usize,
    pub with_diagnostics: usize,
    /// Templates with a context known from the views that render them.
    pub linked: usize,
    pub suppressed: usize,
}

pub fn run(
    project: &Project,
    enabled: &dyn Fn(&RuleMeta) -> bool,
    contexts: &[TemplateContext],
    dirs: &TemplateDirs,
) -> Outcome {
    let rules: Vec<_> = TEMPLATE_RULES.iter().filter(|r| enabled(&r.meta)).collect();
    let files: Vec<(usize, &(String, std::path::PathBuf))> = project
        .others
        .iter()
        .enumerate()
        .filter(|(_, (rel, _))| dirs.is_template(rel))
        // Test and documentation templates do not render in production.
        .filter(|(_, (rel, _))| {
            !crate::rules::code::support::is_test_file(rel)
                && !rel.split('/').any(|d| d == "docs" || d == "doc")
        })
        .collect();
    let mut out = Outcome {
        findings: Vec::new(),
        errors: Vec::new(),
        templates: files.len(),
        with_diagnostics: 0,
        linked: 0,
        suppressed: 0,
    };
    if rules.is_empty() {
        return out;
    }
    // Read and lex every template first: the rules look across templates (includes,
    // inheritance) and the contexts views give flow along the same edges.
    let read: Vec<Result<Lexed, FileError>> = files
        .par_iter()
        .map(|(i, (rel, _))| {
            let text = project.other_text(*i).map_err(|message| FileError {
                path: rel.clone(),
                line: None,
                column: None,
                message,
            })?;
            Ok(Lexed::new(
                rel,
                dirs.template_name(rel),
                dirs.is_jinja(rel),
                text.to_string(),
            ))
        })
        .collect();
    let mut lexed = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(l) => lexed.push(l),
            Err(e) => out.errors.push(e),
        }
    }
    let set = TemplateSet::new(lexed.iter().filter_map(|l| {
        let name = l.name?;
        Some((
            name.to_string(),
            set::Info::new(&l.src, &l.tokens, &l.blocks),
        ))
    }));
    let by_template = context_map(contexts, &set);
    let library = Library::new(project);
    out.linked = lexed
        .iter()
        .filter(|l| l.name.is_some_and(|n| by_template.contains_key(n)))
        .count();
    let per_file: Vec<_> = lexed
        .par_iter()
        .map(|l| {
            audit_lexed(
                l,
                &rules,
                l.name.and_then(|n| by_template.get(n)),
                &set,
                &library,
            )
        })
        .collect();
    for (l, (findings, suppressed)) in lexed.iter().zip(per_file) {
        out.findings.extend(findings);
        out.with_diagnostics += usize::from(l.diagnostics > 0);
        out.suppressed += suppressed;
    }
    out
}

/// The keys each template is rendered with: the views' contexts, and through `{% extends %}`
/// and `{% include %}` (without `only`; keys an include sets with `with` are its own) the
/// contexts of the templates that extend or include it.
pub type ContextMap<'c> = HashMap<String, HashMap<String, Vec<&'c TemplateContext>>>;

fn context_map<'c>(contexts: &'c [TemplateContext], set: &TemplateSet) -> ContextMap<'c> {
    let mut map: ContextMap<'c> = HashMap::default();
    for c in contexts {
        map.entry(c.template.clone())
            .or_default()
            .entry(c.key.clone())
            .or_default()
            .push(c);
    }
    let direct: Vec<String> = map.keys().cloned().collect();
    for start in direct {
        let Some(own) = map.get(&start).cloned() else {
            continue;
        };
        let mut queue = vec![(start.clone(), Vec::<String>::new(), 0usize)];
        let mut seen = std::collections::HashSet::from([start]);
        while let Some((name, removed, depth)) = queue.pop() {
            if depth >= 8 {
                continue;
            }
            for (target, with) in set.reached(&name) {
                if !seen.insert(target.clone()) {
                    continue;
                }
                let mut removed = removed.clone();
                removed.extend(with);
                let entry = map.entry(target.clone()).or_default();
                for (k, vs) in &own {
                    if !removed.contains(k) {
                        entry
                            .entry(k.clone())
                            .or_default()
                            .extend(vs.iter().copied());
                    }
                }
                queue.push((target, removed, depth + 1));
            }
        }
    }
    map
}

/// One template read and lexed.
pub struct Lexed<'r> {
    pub rel: &'r str,
    /// The name views render it by.
    pub name: Option<&'r str>,
    pub jinja: bool,
    pub src: String,
    pub tokens: Vec<lexer::Token>,
    pub blocks: Vec<lexer::Block>,
    pub diagnostics: usize,
}

impl<'r> Lexed<'r> {
    pub fn new(rel: &'r str, name: Option<&'r str>, jinja: bool, src: String) -> Lexed<'r> {
        let (tokens, diagnostics) = if jinja {
            lexer::lex_jinja(&src)
        } else {
            lexer::lex(&src)
        };
        let (blocks, block_diags) = lexer::blocks(&src, &tokens);
        Lexed {
            rel,
            name,
            jinja,
            diagnostics: diagnostics.len() + block_diags.len(),
            src,
            tokens,
            blocks,
        }
    }
}

/// Lex, analyse and check one template on its own: (findings, lexing diagnostics,
/// suppressed). The fuzz target's entry point.
pub fn audit_one(
    rel: &str,
    src: &str,
    rules: &[&&'static crate::rules::templates::TemplateRule],
    context: Option<&HashMap<String, Vec<&TemplateContext>>>,
) -> (Vec<Finding>, usize, usize) {
    let l = Lexed::new(rel, template_name(rel), is_jinja(rel), src.to_string());
    let set = TemplateSet::default();
    let library = Library::default();
    let (findings, suppressed) = audit_lexed(&l, rules, context, &set, &library);
    (findings, l.diagnostics, suppressed)
}

/// Check one lexed template: (findings, suppressed).
fn audit_lexed(
    l: &Lexed,
    rules: &[&&'static crate::rules::templates::TemplateRule],
    context: Option<&HashMap<String, Vec<&TemplateContext>>>,
    set: &TemplateSet,
    library: &Library,
) -> (Vec<Finding>, usize) {
    let (rel, src) = (l.rel, l.src.as_str());
    let analysis = html::analyse(src, &l.tokens);
    let lines = Lines::lf(src);
    let file = TemplateFile {
        rel,
        name: l.name,
        src,
        tokens: &l.tokens,
        blocks: &l.blocks,
        html: &analysis,
        jinja: l.jinja,
        context,
        set,
        library,
    };
    let mut findings = Vec::new();
    let mut suppressed = 0;
    // The same construct twice in a template gets `#2`, `#3`... so fingerprints stay distinct
    // (and stable while the template's order is).
    let mut seen_keys: std::collections::HashMap<String, usize> =
        std::collections::HashMap::default();
    let plain_text = rel.to_ascii_lowercase().ends_with(".txt");
    for rule in rules {
        if plain_text && rule.html {
            continue;
        }
        let mut hits = Vec::new();
        (rule.check)(&file, &mut hits);
        for h in hits {
            let span = lines.span(src, h.at.start, h.at.end);
            if suppressed_at(&lines, src, span.start.line, rule.meta.id) {
                suppressed += 1;
                continue;
            }
            let n = seen_keys
                .entry(format!("{}:{}", rule.meta.id, h.key))
                .or_insert(0);
            *n += 1;
            let key = if *n == 1 {
                h.key.clone()
            } else {
                format!("{}#{n}", h.key)
            };
            let f = Finding {
                message: h.message,
                fix: h.fix,
                ..Finding::new(&rule.meta, rel, &key, h.confidence)
            };
            let line = lines.line_text(src, span.start.line);
            findings.push(crate::rules::place(f, Some((span, line))));
        }
    }
    (findings, suppressed)
}

/// `{# djguard: ignore[DJG201] #}` (or `ignore` alone) on the line or the line before.
fn suppressed_at(lines: &Lines, src: &str, line: u32, rule: &str) -> bool {
    [line, line.saturating_sub(1)]
        .iter()
        .filter(|l| **l > 0)
        .any(|l| template_suppression(lines.line_text(src, *l), rule))
}

fn template_suppression(line: &str, rule: &str) -> bool {
    let mut rest = line;
    while let Some(pos) = rest.find("{#") {
        let after = &rest[pos + 2..];
        let Some(end) = after.find("#}") else {
            return false;
        };
        let comment = &after[..end];
        // The same syntax as the Python comment, inside a template comment.
        if crate::suppress::suppressed(&format!("# {}", comment.trim()), rule)
            && comment.contains("djguard")
        {
            return true;
        }
        rest = &after[end..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{is_jinja, is_template, template_suppression};

    #[test]
    fn templates_are_found_by_folder_and_extension() {
        assert!(is_template("shop/templates/shop/list.html"));
        assert!(is_template("templates/base.html"));
        assert!(is_template("app/jinja2/app/page.html"));
        assert!(is_template("emails/welcome.jinja"));
        assert!(!is_template("static/index.html"));
        assert!(!is_template("templates/README"));
        assert!(is_jinja("app/jinja2/app/page.html"));
        assert!(!is_jinja("shop/templates/shop/list.html"));
    }

    #[test]
    fn template_names_are_the_path_below_the_templates_folder() {
        use super::template_name;
        assert_eq!(
            template_name("shop/templates/shop/list.html"),
            Some("shop/list.html")
        );
        assert_eq!(template_name("templates/base.html"), Some("base.html"));
        assert_eq!(template_name("app/jinja2/app/p.html"), Some("app/p.html"));
        assert_eq!(template_name("mytemplates/x.html"), None);
    }

    #[test]
    fn suppression_comments() {
        assert!(template_suppression(
            "{{ x|safe }} {# djguard: ignore[DJG201] #}",
            "DJG201"
        ));
        assert!(template_suppression("{# djguard: ignore #}", "DJG202"));
        assert!(!template_suppression(
            "{# djguard: ignore[DJG202] #}",
            "DJG201"
        ));
        assert!(!template_suppression("{# nosec #}", "DJG201"));
        assert!(!template_suppression("{# unclosed", "DJG201"));
    }
}
