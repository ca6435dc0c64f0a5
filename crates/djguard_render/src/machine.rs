//! What the machine formats (SARIF, JUnit, GitHub, GitLab, Markdown) share: the findings of a
//! run in the contract's order, with the documentation of their rules, for `check` and
//! `scan` alike.

use djguard_core::finding::Finding;
use djguard_core::report::FileError;

/// One run of djguard as the machine formats see it.
pub struct Run<'a> {
    /// `check` or `scan`.
    pub command: &'static str,
    /// Every finding, in the contract's order (path, line, column, rule).
    pub findings: Vec<&'a Finding>,
    /// Files that could not be read or parsed (`check`).
    pub errors: &'a [FileError],
    /// The documentation of a rule (`djguard rule ID`), for help texts.
    pub docs: &'a dyn Fn(&str) -> Option<&'static str>,
    /// The folder paths are relative to, as a `file://` URI ending in `/`, when known (SARIF's
    /// `%SRCROOT%`).
    pub root_uri: Option<String>,
    /// Put before every finding's path in the machine formats: the scanned root relative to
    /// the folder djguard runs in (`backend/` for `djguard check backend` at a repository's
    /// top), because GitHub and GitLab read paths relative to the repository. Empty when the
    /// root is that folder or outside it.
    pub path_prefix: String,
}

impl<'a> Run<'a> {
    /// A run over these findings, sorted into the contract's order.
    pub fn new(
        command: &'static str,
        findings: impl IntoIterator<Item = &'a Finding>,
        errors: &'a [FileError],
        docs: &'a dyn Fn(&str) -> Option<&'static str>,
    ) -> Run<'a> {
        let mut findings: Vec<&Finding> = findings.into_iter().collect();
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Run {
            command,
            findings,
            errors,
            docs,
            root_uri: None,
            path_prefix: String::new(),
        }
    }

    /// A finding's path as the machine formats write it (see `path_prefix`).
    pub fn file(&self, path: &str) -> String {
        format!("{}{path}", self.path_prefix)
    }

    /// The rules that have findings, in id order, each once.
    pub fn rules(&self) -> Vec<&'static djguard_core::rule::RuleMeta> {
        let mut rules: Vec<&'static djguard_core::rule::RuleMeta> =
            self.findings.iter().map(|f| f.rule).collect();
        rules.sort_by(|a, b| a.id.cmp(b.id));
        rules.dedup_by(|a, b| a.id == b.id);
        rules
    }
}

/// The first paragraph of a rule's documentation after its heading: what it does.
pub fn doc_summary(doc: &str) -> Option<String> {
    let mut para = Vec::new();
    for line in doc.lines().skip(1) {
        let t = line.trim();
        if t.starts_with('#') {
            if para.is_empty() {
                continue;
            }
            break;
        }
        if t.is_empty() {
            if para.is_empty() {
                continue;
            }
            break;
        }
        para.push(t);
    }
    (!para.is_empty()).then(|| para.join(" "))
}
