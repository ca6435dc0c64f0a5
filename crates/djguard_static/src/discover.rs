//! File discovery: walks the given paths in parallel, honours `.gitignore` (also outside a git
//! repository), keeps hidden files (we need `.env*`), and skips virtualenvs, `node_modules`,
//! VCS folders, caches, build output and the user's `exclude` globs. Returns sorted paths so
//! everything downstream is deterministic.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Directory names that never hold the project's own code.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "site-packages",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".venv",
    "venv",
    ".eggs",
    "build",
    "dist",
    "target",
    ".cache",
    "htmlcov",
];

#[derive(Debug, Clone)]
pub struct DiscoveredFile {
    /// Path relative to the scan root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
}

pub fn build_excludes(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_end_matches('/');
        builder.add(Glob::new(p)?);
        // `exclude = ["legacy"]` should also drop everything under it.
        builder.add(Glob::new(&format!("{p}/**"))?);
        if !p.starts_with("**/") && !p.starts_with('/') {
            builder.add(Glob::new(&format!("**/{p}"))?);
            builder.add(Glob::new(&format!("**/{p}/**"))?);
        }
    }
    builder.build()
}

/// Walk `paths` (files or directories) under `root`. A file named explicitly is always
/// included, even if ignore rules would skip it.
pub fn discover(root: &Path, paths: &[PathBuf], excludes: &GlobSet) -> Vec<DiscoveredFile> {
    let found = Mutex::new(Vec::new());
    for path in paths {
        if path.is_file() {
            push(&found, root, path.to_path_buf());
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(path);
        builder
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .parents(true)
            .threads(2);
        let excludes = excludes.clone();
        let root_owned = root.to_path_buf();
        builder.filter_entry(move |entry| {
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir && entry.depth() > 0 {
                if SKIPPED_DIRS.contains(&name.as_ref()) || name.ends_with(".egg-info") {
                    return false;
                }
                // Any virtualenv, whatever its name.
                if entry.path().join("pyvenv.cfg").is_file() {
                    return false;
                }
            }
            let rel = relative(&root_owned, entry.path());
            rel.is_empty() || !excludes.is_match(&rel)
        });
        builder.build_parallel().run(|| {
            let found = &found;
            Box::new(move |entry| {
                if let Ok(entry) = entry
                    && entry.file_type().is_some_and(|t| t.is_file())
                {
                    push(found, root, entry.into_path());
                }
                ignore::WalkState::Continue
            })
        });
    }
    let mut files = found.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    files
}

fn push(found: &Mutex<Vec<DiscoveredFile>>, root: &Path, abs: PathBuf) {
    let rel = relative(root, &abs);
    if let Ok(mut v) = found.lock() {
        v.push(DiscoveredFile { rel, abs });
    }
}

/// `path` relative to `root`, `/`-separated; the path itself when it is outside `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}
