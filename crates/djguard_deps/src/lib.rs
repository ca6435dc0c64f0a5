//! The dependency audit (`DJG3xx`): every package a project's requirement, manifest and lock
//! files name, with the file and line it came from; OSV advisories (embedded for Django,
//! local folders or zips, the cache `djguard db update` fills, the OSV API with `--online`);
//! Django's support calendar; findings with the smallest fixing upgrade. The `DJG3xx` rules
//! live in `rules`.
//!
//! It parses no Python: it reads dependency files only. It is the one static crate that may
//! reach the network (`online`, `db update`), and it carries uv's PEP 508 crates, which pull
//! tokio: the lean crates (vocabulary, Python facade, static audit, renderers) never depend on
//! this one.

pub mod audit;
pub mod db;
pub mod django_data;
pub mod lockfiles;
pub mod online;
pub mod osv;
pub mod pep;
pub mod requirements;
pub mod rules;

use djguard_core::{dates, finding, source, suppress};

use std::path::Path;

use serde::Serialize;

pub use pep::{Version, Want};

pub use djguard_core::package::FileKind;

/// One package named by one line of one file.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// PEP 503 normalised.
    pub name: String,
    pub want: Want,
    /// The specifier as written (for ranges), empty when exact or none.
    pub spec: String,
    pub marker: Option<String>,
    pub editable: bool,
    /// Dependency group or extra (`dev`, `develop`, ...) when the file says.
    pub group: Option<String>,
    pub path: String,
    pub line: u32,
    pub source_line: String,
    pub kind: FileKind,
    /// The file sits beside a `manage.py`: a deployed site's manifest rather than a
    /// reusable package's (whose ranges are deliberate).
    pub site: bool,
}

impl Dependency {
    pub fn exact(&self) -> Option<&Version> {
        match &self.want {
            Want::Exact(v) => Some(v),
            _ => None,
        }
    }
}

/// A problem reading one dependency file (the audit goes on).
#[derive(Clone, Debug, Serialize)]
pub struct DepError {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Whether a file (relative path) is one the dependency audit reads, and how.
pub fn file_kind(rel: &str) -> Option<Parser> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "poetry.lock" => Parser::Poetry,
        "pipfile.lock" => Parser::PipfileLock,
        "pipfile" => Parser::Pipfile,
        "pdm.lock" => Parser::Pdm,
        "uv.lock" => Parser::Uv,
        "pylock.toml" => Parser::Pylock,
        "pyproject.toml" => Parser::Pyproject,
        _ if lower.starts_with("pylock.") && lower.ends_with(".toml") => Parser::Pylock,
        _ if (lower.ends_with(".txt") || lower.ends_with(".in"))
            && (lower.starts_with("requirements")
                || lower.starts_with("constraints")
                || rel.contains("requirements/")) =>
        {
            Parser::Requirements
        }
        _ => return None,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parser {
    Requirements,
    Poetry,
    PipfileLock,
    Pipfile,
    Pdm,
    Uv,
    Pylock,
    Pyproject,
}

/// Everything the dependency files of a project name.
#[derive(Debug, Default)]
pub struct Inventory {
    pub dependencies: Vec<Dependency>,
    pub errors: Vec<DepError>,
    /// Files read (including ones reached through `-r`/`-c`).
    pub files: Vec<String>,
}

/// Read every dependency file among `files` (relative path, absolute path). `root` is the
/// project root, for naming files reached through `-r`.
pub fn collect(root: &Path, files: &[(String, std::path::PathBuf)]) -> Inventory {
    let mut inv = Inventory::default();
    let mut seen_req = std::collections::HashSet::new();
    // Top-level requirements files first, so a file they include with `-c` is read as the
    // constraints file it is before anything reads it directly.
    let mut sorted: Vec<&(String, std::path::PathBuf)> = files.iter().collect();
    let is_constraints = |rel: &str| {
        rel.rsplit('/')
            .next()
            .unwrap_or(rel)
            .to_ascii_lowercase()
            .starts_with("constraints")
    };
    sorted.sort_by(|a, b| (is_constraints(&a.0), &a.0).cmp(&(is_constraints(&b.0), &b.0)));
    for (rel, abs) in sorted {
        let Some(parser) = file_kind(rel) else {
            continue;
        };
        if parser == Parser::Requirements {
            let kind = if is_constraints(rel) {
                FileKind::Constraints
            } else if rel.to_ascii_lowercase().ends_with(".in") {
                // pip-compile's input: what is allowed, not what is installed.
                FileKind::Manifest
            } else {
                FileKind::Requirements
            };
            // A file found by its name that is mostly not requirements (documentation called
            // `constraints.txt`) is not a requirements file.
            let mut one = Inventory::default();
            requirements::read_file(root, abs, kind, &mut seen_req, &mut one);
            let bad = one.errors.iter().filter(|e| e.line.is_some()).count();
            if is_constraints(rel) && bad > 2 && bad >= one.dependencies.len() {
                continue;
            }
            for d in &mut one.dependencies {
                d.site = root
                    .join(&d.path)
                    .parent()
                    .is_some_and(|p| p.join("manage.py").is_file());
            }
            inv.dependencies.extend(one.dependencies);
            inv.errors.extend(one.errors);
            inv.files.extend(one.files);
            continue;
        }
        let text = match crate::source::read_capped(abs) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    inv.errors.push(DepError {
                        path: rel.clone(),
                        line: None,
                        message: "not UTF-8 text; dependency file skipped".into(),
                    });
                    continue;
                }
            },
            Err(e) => {
                inv.errors.push(DepError {
                    path: rel.clone(),
                    line: None,
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        inv.files.push(rel.clone());
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let dir = abs.parent().unwrap_or(Path::new("."));
        let result = match parser {
            Parser::Poetry => lockfiles::poetry_lock(rel, text),
            Parser::PipfileLock => lockfiles::pipfile_lock(rel, text),
            Parser::Pipfile => lockfiles::pipfile(rel, text),
            Parser::Pdm => lockfiles::pdm_lock(rel, text),
            Parser::Uv => lockfiles::uv_lock(rel, text),
            Parser::Pylock => lockfiles::pylock(rel, text),
            Parser::Pyproject => lockfiles::pyproject(rel, text, dir),
            Parser::Requirements => continue,
        };
        let site = dir.join("manage.py").is_file();
        match result {
            Ok((mut deps, errors)) => {
                for d in &mut deps {
                    d.site = site;
                }
                inv.dependencies.extend(deps);
                inv.errors.extend(errors);
            }
            Err(e) => inv.errors.push(e),
        }
    }
    inv
}

/// Line lookups in one file: the start of every line, found once (a lock file with
/// thousands of packages asks for thousands of lines).
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    /// 1-based line of byte offset `at`, and that line's text.
    pub(crate) fn at(&self, at: usize) -> (u32, String) {
        let at = at.min(self.text.len());
        let idx = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts[idx];
        let end = self
            .starts
            .get(idx + 1)
            .map_or(self.text.len(), |next| next - 1);
        (
            u32::try_from(idx + 1).unwrap_or(u32::MAX),
            self.text
                .get(start..end)
                .unwrap_or("")
                .trim_end_matches('\r')
                .to_string(),
        )
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

/// The Django release the project pins, for judging its settings: an exact version in a
/// lock file, else in a requirements or constraints file, else the newest modelled release a
/// range allows (requirements files before manifests). Returns the version and where it was
/// read (`pinned in path:line`).
pub fn django_pin(
    inv: &Inventory,
) -> Option<(djguard_core::django_version::DjangoVersion, String)> {
    use djguard_core::django_version::{DjangoVersion, KNOWN_RELEASES};
    let rank = |d: &Dependency| -> u8 {
        let kind = match d.kind {
            FileKind::Lock => 6,
            FileKind::Requirements | FileKind::Constraints => 4,
            FileKind::Manifest => 2,
        };
        kind + u8::from(d.exact().is_some())
    };
    let mut best: Option<(u8, DjangoVersion, String)> = None;
    for d in inv.dependencies.iter().filter(|d| d.name == "django") {
        let version = match &d.want {
            Want::Exact(v) => {
                let r = v.release();
                let at =
                    |i: usize| u32::try_from(r.get(i).copied().unwrap_or(0)).unwrap_or(u32::MAX);
                Some(DjangoVersion::new(at(0), at(1), at(2)))
            }
            Want::Range(range) => {
                KNOWN_RELEASES.iter().rev().copied().find(|k| {
                    pep::parse_version(&k.to_string()).is_some_and(|v| range.contains(&v))
                })
            }
            Want::Url(_) => None,
        };
        let Some(version) = version else { continue };
        let r = rank(d);
        if best.as_ref().is_none_or(|(b, _, _)| r > *b) {
            let at = match d.want {
                Want::Exact(_) => format!("pinned in {}:{}", d.path, d.line),
                _ => format!("newest release `{}` allows, {}:{}", d.spec, d.path, d.line),
            };
            best = Some((r, version, at));
        }
    }
    best.map(|(_, v, s)| (v, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(files: &[(&str, &str)]) -> Inventory {
        let dir = std::env::temp_dir().join(format!(
            "djguard-pin-{}-{}",
            std::process::id(),
            files.len()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mut list = Vec::new();
        for (rel, text) in files {
            let abs = dir.join(rel);
            std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
            std::fs::write(&abs, text).unwrap();
            list.push((rel.to_string(), abs));
        }
        let inv = collect(&dir, &list);
        let _ = std::fs::remove_dir_all(&dir);
        inv
    }

    #[test]
    fn line_lookup() {
        let lines = Lines::new("a\r\nbb\n\nccc");
        assert_eq!(lines.at(0), (1, "a".to_string()));
        assert_eq!(lines.at(3), (2, "bb".to_string()));
        assert_eq!(lines.at(6), (3, String::new()));
        assert_eq!(lines.at(7), (4, "ccc".to_string()));
        assert_eq!(lines.at(99), (4, "ccc".to_string()));
        assert_eq!(Lines::new("").at(0), (1, String::new()));
    }

    #[test]
    fn django_pins_by_priority() {
        use djguard_core::django_version::DjangoVersion;
        let inv = inventory(&[
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\ndependencies = [\n  \"Django>=4.2,<5\",\n]\n",
            ),
            (
                "requirements.txt",
                "requests==2\nDjango[argon2]==5.2.1 ; python_version >= '3.10'\n",
            ),
        ]);
        assert_eq!(
            django_pin(&inv),
            Some((
                DjangoVersion::new(5, 2, 1),
                "pinned in requirements.txt:2".into()
            ))
        );
        let inv = inventory(&[(
            "uv.lock",
            "[[package]]\nname = \"django\"\nversion = \"6.0.2\"\nsource = { registry = \"x\" }\n",
        )]);
        assert_eq!(django_pin(&inv).unwrap().0, DjangoVersion::new(6, 0, 2));
        let inv = inventory(&[(
            "pyproject.toml",
            "[tool.poetry.dependencies]\ndjango = \"^5.2\"\n",
        )]);
        assert_eq!(django_pin(&inv).unwrap().0, DjangoVersion::new(5, 2, 19));
        let inv = inventory(&[("requirements.txt", "Django>=4.2,<5.0\n")]);
        assert_eq!(django_pin(&inv).unwrap().0, DjangoVersion::new(4, 2, 30));
        let inv = inventory(&[("requirements.txt", "django-environ==1\n")]);
        assert_eq!(django_pin(&inv), None);
    }
}
