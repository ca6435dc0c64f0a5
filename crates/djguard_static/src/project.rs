//! The project model: every discovered file read and parsed once (in parallel), Python files
//! indexed by dotted module name. Later stages only look things up here; nothing after this
//! module reads the disk.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::discover::DiscoveredFile;
use crate::python::ParsedModule;
use crate::source;

pub use djguard_core::report::FileError;

pub struct PythonFile {
    pub rel: String,
    pub abs: PathBuf,
    /// Dotted module name, e.g. `mysite.settings.base`, when the path spells one.
    pub module_name: Option<String>,
    pub is_package: bool,
    /// `None` when the file could not be read or decoded (see `Project::errors`).
    pub parsed: Option<ParsedModule>,
}

impl PythonFile {
    /// The package that relative imports in this file are resolved against.
    pub fn package(&self) -> String {
        let name = self.module_name.clone().unwrap_or_default();
        if self.is_package {
            name
        } else {
            name.rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default()
        }
    }

    pub fn has_syntax_errors(&self) -> bool {
        self.parsed
            .as_ref()
            .is_some_and(|p| !p.syntax_errors.is_empty())
    }
}

pub struct Project {
    pub root: PathBuf,
    pub python: Vec<PythonFile>,
    /// Non-Python files (requirements, lock files, templates), relative path and text.
    pub others: Vec<(String, PathBuf)>,
    pub errors: Vec<FileError>,
    modules: HashMap<String, usize>,
    /// Every file a dotted name can mean, with the import root (folder) it is named from.
    candidates: HashMap<String, Vec<(usize, String)>>,
    /// Folders Python puts on the import path for the project: the scan root, folders holding
    /// a manage.py, `src/`.
    bases: Vec<String>,
    /// Python files by relative path (findings are mapped back to files by path).
    by_rel: HashMap<String, usize>,
    /// The text of each of `others`, read once when first asked for (templates are read by
    /// the taint engine, for the filters and tags they use, and by the template audit).
    other_texts: Vec<std::sync::OnceLock<Result<std::sync::Arc<str>, String>>>,
}

impl Project {
    /// Read and parse the discovered files (in parallel) into the project model.
    pub fn load(root: &Path, files: Vec<DiscoveredFile>) -> Project {
        Self::build(root, files, |f| source::read_python(&f.abs))
    }

    /// The project model of in-memory sources (relative path, bytes); for fuzzing and tests.
    pub fn from_sources(root: &Path, sources: &[(&str, &[u8])]) -> Project {
        let files = sources
            .iter()
            .map(|(rel, _)| DiscoveredFile {
                rel: rel.to_string(),
                abs: root.join(rel),
            })
            .collect();
        Self::build(root, files, |f| {
            let bytes = sources
                .iter()
                .find(|(rel, _)| *rel == f.rel)
                .map_or(&[][..], |(_, b)| *b);
            source::decode_python(bytes)
        })
    }

    fn build(
        root: &Path,
        files: Vec<DiscoveredFile>,
        read: impl Fn(&DiscoveredFile) -> Result<String, source::SourceError> + Sync,
    ) -> Project {
        let (py, others): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| f.rel.ends_with(".py"));
        let present: HashSet<&str> = py.iter().map(|f| f.rel.as_str()).collect();
        let naming: Vec<(Option<String>, bool)> = py
            .iter()
            .map(|f| module_name_for(&f.rel, &present))
            .collect();

        let parsed: Vec<Result<ParsedModule, source::SourceError>> = py
            .par_iter()
            .map(|f| read(f).map(ParsedModule::parse))
            .collect();

        let mut errors = Vec::new();
        let mut python = Vec::with_capacity(py.len());
        for ((file, (module_name, is_package)), parsed) in py.into_iter().zip(naming).zip(parsed) {
            let parsed = match parsed {
                Ok(p) => {
                    if let Some(err) = p.syntax_errors.first() {
                        let pos = p.position(err.range.start());
                        errors.push(FileError {
                            path: file.rel.clone(),
                            line: Some(pos.line),
                            column: Some(pos.column),
                            message: format!(
                                "syntax error: {}{}",
                                err.message,
                                if p.syntax_errors.len() > 1 {
                                    format!(" (and {} more)", p.syntax_errors.len() - 1)
                                } else {
                                    String::new()
                                }
                            ),
                        });
                    }
                    Some(p)
                }
                Err(e) => {
                    errors.push(FileError {
                        path: file.rel.clone(),
                        line: None,
                        column: None,
                        message: e.to_string(),
                    });
                    None
                }
            };
            python.push(PythonFile {
                rel: file.rel,
                abs: file.abs,
                module_name,
                is_package,
                parsed,
            });
        }

        let mut modules = HashMap::default();
        let mut candidates: HashMap<String, Vec<(usize, String)>> = HashMap::default();
        for (i, f) in python.iter().enumerate() {
            if let Some(name) = &f.module_name {
                modules.entry(name.clone()).or_insert(i);
                candidates
                    .entry(name.clone())
                    .or_default()
                    .push((i, import_root(f)));
            }
        }
        // Namespace-package fallbacks: the path relative to the scan root and to each folder
        // holding a manage.py also names the module (without `__init__.py` chains).
        let mut bases: Vec<String> = vec![String::new()];
        for f in &python {
            if let Some(dir) = f.rel.strip_suffix("manage.py") {
                bases.push(dir.to_string());
            }
        }
        bases.push("src/".to_string());
        for (i, f) in python.iter().enumerate() {
            for base in &bases {
                if let Some(rest) = f.rel.strip_prefix(base.as_str())
                    && let Some((name, _)) = dotted_from_path(rest)
                {
                    modules.entry(name.clone()).or_insert(i);
                    let list = candidates.entry(name).or_default();
                    if !list.iter().any(|(j, r)| *j == i && r == base) {
                        list.push((i, base.clone()));
                    }
                }
            }
        }

        let others: Vec<(String, PathBuf)> = others.into_iter().map(|f| (f.rel, f.abs)).collect();
        let other_texts = others.iter().map(|_| std::sync::OnceLock::new()).collect();
        let by_rel = python
            .iter()
            .enumerate()
            .map(|(i, f)| (f.rel.clone(), i))
            .collect();
        Project {
            root: root.to_path_buf(),
            python,
            others,
            errors,
            modules,
            candidates,
            bases,
            by_rel,
            other_texts,
        }
    }

    /// The text of `others[i]` (read at most once, capped like every source, decoded as UTF-8
    /// with replacement characters), or why it could not be read.
    pub fn other_text(&self, i: usize) -> Result<std::sync::Arc<str>, String> {
        let Some(cell) = self.other_texts.get(i) else {
            return Err("no such file".to_string());
        };
        cell.get_or_init(|| {
            let (_, abs) = &self.others[i];
            crate::source::read_capped(abs)
                .map(|bytes| std::sync::Arc::from(String::from_utf8_lossy(&bytes).as_ref()))
                .map_err(|e| e.to_string())
        })
        .clone()
    }

    /// The file `import dotted` means when written in `importer`: a module named from the
    /// importer's own import root or from one of the project's import roots (the scan root, a
    /// folder holding manage.py, `src/`). A same-named file deep in an unrelated folder (build
    /// or docs helpers with no `__init__.py` chain) is not what Python would import.
    pub fn module_from(&self, dotted: &str, importer: usize) -> Option<usize> {
        let list = self.candidates.get(dotted)?;
        let own = self.python.get(importer).map(import_root);
        list.iter()
            .find(|(_, root)| own.as_deref() == Some(root.as_str()))
            .or_else(|| list.iter().find(|(_, root)| self.bases.contains(root)))
            .map(|(i, _)| *i)
    }

    /// The folder a file's dotted module name is counted from (`""` for the scan root).
    pub fn import_root_of(&self, file: usize) -> String {
        self.python.get(file).map(import_root).unwrap_or_default()
    }

    /// Whether a module or package importable from `importer` starts with this top-level name.
    pub fn has_top_level_from(&self, top: &str, importer: usize) -> bool {
        let own = self.python.get(importer).map(import_root);
        self.candidates.iter().any(|(k, list)| {
            k.split('.').next() == Some(top)
                && list.iter().any(|(_, root)| {
                    own.as_deref() == Some(root.as_str()) || self.bases.contains(root)
                })
        })
    }

    pub fn module(&self, dotted: &str) -> Option<usize> {
        self.modules.get(dotted).copied()
    }

    /// Whether any module or package of the project starts with this top-level name.
    pub fn has_top_level(&self, top: &str) -> bool {
        self.modules.contains_key(top)
            || self
                .modules
                .keys()
                .any(|k| k.split('.').next() == Some(top))
    }

    pub fn file_by_rel(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).copied()
    }
}

/// The folder (with a trailing `/`, empty for the scan root) a file's module name is counted
/// from.
fn import_root(f: &PythonFile) -> String {
    let Some(name) = &f.module_name else {
        return f
            .rel
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
    };
    let depth = name.split('.').count() + usize::from(f.is_package);
    let parts: Vec<&str> = f.rel.split('/').collect();
    let keep = parts.len().saturating_sub(depth);
    parts[..keep].iter().map(|p| format!("{p}/")).collect()
}

/// The dotted name a path spells (`a/b/c.py` → `a.b.c`, `a/b/__init__.py` → `a.b`) and
/// whether it is a package; `None` when a component is not an identifier.
fn dotted_from_path(rel: &str) -> Option<(String, bool)> {
    let stem = rel.strip_suffix(".py")?;
    let mut parts: Vec<&str> = stem.split('/').collect();
    let is_package = parts.last() == Some(&"__init__");
    if is_package {
        parts.pop();
    }
    if parts.is_empty() || !parts.iter().all(|p| is_identifier(p)) {
        return None;
    }
    Some((parts.join("."), is_package))
}

/// Module name by the `__init__.py` chain: the import root is the first ancestor folder that
/// is not a package.
fn module_name_for(rel: &str, present: &HashSet<&str>) -> (Option<String>, bool) {
    let parts: Vec<&str> = rel.split('/').collect();
    let Some((file, dirs)) = parts.split_last() else {
        return (None, false);
    };
    let Some(stem) = file.strip_suffix(".py") else {
        return (None, false);
    };
    let is_package = stem == "__init__";
    let mut start = dirs.len();
    while start > 0 {
        let init = format!("{}/__init__.py", dirs[..start].join("/"));
        if present.contains(init.as_str()) {
            start -= 1;
        } else {
            break;
        }
    }
    let mut name_parts: Vec<&str> = dirs[start..].to_vec();
    if !is_package {
        name_parts.push(stem);
    }
    if name_parts.is_empty() || !name_parts.iter().all(|p| is_identifier(p)) {
        return (None, is_package);
    }
    (Some(name_parts.join(".")), is_package)
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_follow_init_chains() {
        let present: HashSet<&str> = [
            "site/manage.py",
            "site/mysite/__init__.py",
            "site/mysite/settings/__init__.py",
            "site/mysite/settings/base.py",
        ]
        .into_iter()
        .collect();
        assert_eq!(
            module_name_for("site/mysite/settings/base.py", &present),
            (Some("mysite.settings.base".into()), false)
        );
        assert_eq!(
            module_name_for("site/mysite/settings/__init__.py", &present),
            (Some("mysite.settings".into()), true)
        );
        assert_eq!(
            module_name_for("site/manage.py", &present),
            (Some("manage".into()), false)
        );
        assert_eq!(
            module_name_for("my-site/x.py", &present),
            (Some("x".into()), false)
        );
        assert_eq!(module_name_for("a/my-mod.py", &present).0, None);
    }
}
