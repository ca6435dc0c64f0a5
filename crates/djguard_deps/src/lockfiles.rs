//! Lock files and manifests other than requirements files: poetry.lock, Pipfile.lock,
//! Pipfile, pdm.lock, uv.lock, pylock.toml (PEP 751) and pyproject.toml (`[project]`,
//! `[dependency-groups]`, Poetry's, PDM's and uv's tables). TOML through the `toml` crate
//! with spans, so every package keeps the line of its entry.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::pep::{self, Range, Want};
use super::{DepError, Dependency, FileKind, Lines};

type Parsed = Result<(Vec<Dependency>, Vec<DepError>), DepError>;

fn syntax_error(rel: &str, text: &str, e: &toml::de::Error) -> DepError {
    let line = e.span().map(|s| Lines::new(text).at(s.start).0);
    DepError {
        path: rel.to_string(),
        line,
        message: format!(
            "not valid TOML ({}); file skipped",
            e.message().lines().next().unwrap_or("syntax error")
        ),
    }
}

struct Builder<'a> {
    rel: &'a str,
    lines: Lines<'a>,
    kind: FileKind,
    deps: Vec<Dependency>,
    errors: Vec<DepError>,
}

impl<'a> Builder<'a> {
    fn new(rel: &'a str, text: &'a str, kind: FileKind) -> Self {
        Builder {
            rel,
            lines: Lines::new(text),
            kind,
            deps: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, want: Want, spec: String, at: usize, group: Option<String>) {
        let (line, source_line) = self.lines.at(at);
        self.deps.push(Dependency {
            name: pep::normalize_name(name),
            want,
            spec,
            marker: None,
            editable: false,
            group,
            path: self.rel.to_string(),
            line,
            source_line,
            kind: self.kind,
            site: false,
        });
    }

    /// A package from a git, URL or path source: listed, not judged by version.
    fn direct(&mut self, name: &Spanned<String>, group: Option<String>) {
        let at = name.span().start;
        self.push(
            name.get_ref(),
            Want::Url(String::new()),
            String::new(),
            at,
            group,
        );
    }

    /// A locked `name = version` entry.
    fn locked(&mut self, name: &Spanned<String>, version: Option<&str>, group: Option<String>) {
        let at = name.span().start;
        match version.map(|v| (v, pep::parse_version(v))) {
            Some((_, Some(v))) => {
                self.push(name.get_ref(), Want::Exact(v), String::new(), at, group)
            }
            Some((raw, None)) => self.error(
                at,
                format!(
                    "{} has version `{raw}`, which is not a PEP 440 version; not audited",
                    name.get_ref()
                ),
            ),
            None => self.push(
                name.get_ref(),
                Want::Url(String::new()),
                String::new(),
                at,
                group,
            ),
        }
    }

    /// A PEP 508 string from a manifest.
    fn requirement(&mut self, req: &Spanned<String>, dir: &Path, group: Option<String>) {
        let at = req.span().start;
        match pep::parse_requirement(req.get_ref(), dir) {
            Ok(p) => {
                let (line, source_line) = self.lines.at(at);
                self.deps.push(Dependency {
                    name: pep::normalize_name(&p.name),
                    want: p.want,
                    spec: p.spec,
                    marker: p.marker,
                    editable: false,
                    group,
                    path: self.rel.to_string(),
                    line,
                    source_line,
                    kind: self.kind,
                    site: false,
                });
            }
            Err(e) => self.error(
                at,
                format!(
                    "`{}` is not a PEP 508 requirement ({e}); not audited",
                    req.get_ref()
                ),
            ),
        }
    }

    fn error(&mut self, at: usize, message: String) {
        self.errors.push(DepError {
            path: self.rel.to_string(),
            line: Some(self.lines.at(at).0),
            message,
        });
    }

    fn done(self) -> Parsed {
        Ok((self.deps, self.errors))
    }
}

// ---------------------------------------------------------------- poetry.lock

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryPackage>,
}

#[derive(Deserialize)]
struct PoetryPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    source: Option<PoetrySource>,
}

#[derive(Deserialize)]
struct PoetrySource {
    #[serde(rename = "type", default)]
    kind: String,
}

pub fn poetry_lock(rel: &str, text: &str) -> Parsed {
    let lock: PoetryLock = toml::from_str(text).map_err(|e| syntax_error(rel, text, &e))?;
    let mut b = Builder::new(rel, text, FileKind::Lock);
    for p in &lock.package {
        let group = p.groups.first().cloned().or_else(|| p.category.clone());
        // git/url/file/directory sources are not releases from an index: their version is
        // whatever the source says, and advisories about index releases do not apply.
        if p.source.as_ref().is_some_and(|s| s.kind != "legacy") {
            b.direct(&p.name, group);
            continue;
        }
        b.locked(&p.name, p.version.as_deref(), group);
    }
    b.done()
}

// ---------------------------------------------------------------- Pipfile.lock

pub fn pipfile_lock(rel: &str, text: &str) -> Parsed {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| DepError {
        path: rel.to_string(),
        line: Some(u32::try_from(e.line()).unwrap_or(0)),
        message: format!("not valid JSON ({e}); file skipped"),
    })?;
    let mut b = Builder::new(rel, text, FileKind::Lock);
    for section in ["default", "develop"] {
        let Some(map) = doc.get(section).and_then(|v| v.as_object()) else {
            continue;
        };
        // serde_json keeps no positions: find each entry's key after the section's key.
        let section_at = text.find(&format!("\"{section}\"")).unwrap_or(0);
        for (name, entry) in map {
            let at = text[section_at..]
                .find(&format!("\"{name}\""))
                .map_or(section_at, |i| section_at + i);
            let group = Some(section.to_string());
            match entry.get("version").and_then(|v| v.as_str()) {
                Some(spec) => match pep::want_of_specifiers(spec) {
                    Some(want) => {
                        let spec_text = if matches!(want, Want::Exact(_)) { String::new() } else { spec.to_string() };
                        b.push(name, want, spec_text, at, group);
                    }
                    None if spec == "*" => b.push(name, Want::Range(Range::full()), "*".into(), at, group),
                    None => b.error(at, format!("{name} has version `{spec}`, which is not a PEP 440 specifier; not audited")),
                },
                None => b.push(name, Want::Url(String::new()), String::new(), at, group),
            }
        }
    }
    b.done()
}

// ---------------------------------------------------------------- Pipfile

pub fn pipfile(rel: &str, text: &str) -> Parsed {
    let doc: toml::Table = toml::from_str(text).map_err(|e| syntax_error(rel, text, &e))?;
    let mut b = Builder::new(rel, text, FileKind::Manifest);
    for section in ["packages", "dev-packages"] {
        let Some(table) = doc.get(section).and_then(|v| v.as_table()) else {
            continue;
        };
        let section_at = text.find(&format!("[{section}]")).unwrap_or(0);
        for (name, value) in table {
            let at = find_key(text, section_at, name);
            let group = Some(section.to_string());
            let spec = match value {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Table(t)
                    if t.contains_key("git")
                        || t.contains_key("path")
                        || t.contains_key("file") =>
                {
                    None
                }
                toml::Value::Table(t) => Some(
                    t.get("version")
                        .and_then(|v| v.as_str())
                        .unwrap_or("*")
                        .to_string(),
                ),
                _ => Some("*".to_string()),
            };
            manifest_spec(&mut b, name, spec.as_deref(), at, group);
        }
    }
    b.done()
}

/// Offset of `key` (bare or quoted, at a line start) after `from`.
fn find_key(text: &str, from: usize, key: &str) -> usize {
    let rest = &text[from.min(text.len())..];
    let mut offset = from;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_start();
        let k = t.trim_start_matches(['"', '\'']);
        if k.starts_with(key)
            && k[key.len()..]
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with('=')
        {
            return offset + (line.len() - t.len());
        }
        offset += line.len();
    }
    from
}

/// A manifest entry with a PEP 440 specifier (`*` or empty for any version), or none for a
/// VCS/path source.
fn manifest_spec(
    b: &mut Builder,
    name: &str,
    spec: Option<&str>,
    at: usize,
    group: Option<String>,
) {
    match spec.map(str::trim) {
        None => b.push(name, Want::Url(String::new()), String::new(), at, group),
        Some("" | "*") => b.push(name, Want::Range(Range::full()), "*".into(), at, group),
        Some(s) => match pep::want_of_specifiers(s) {
            Some(want) => b.push(name, want, s.to_string(), at, group),
            None => b.error(
                at,
                format!("{name} = `{s}` is not a PEP 440 specifier; not audited"),
            ),
        },
    }
}

// ---------------------------------------------------------------- pdm.lock

#[derive(Deserialize)]
struct PdmLock {
    #[serde(default)]
    package: Vec<PdmPackage>,
}

#[derive(Deserialize)]
struct PdmPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    git: Option<String>,
    path: Option<String>,
    url: Option<String>,
    #[serde(default)]
    editable: bool,
}

pub fn pdm_lock(rel: &str, text: &str) -> Parsed {
    let lock: PdmLock = toml::from_str(text).map_err(|e| syntax_error(rel, text, &e))?;
    let mut b = Builder::new(rel, text, FileKind::Lock);
    for p in &lock.package {
        let group = p.groups.first().cloned();
        if p.git.is_some() || p.path.is_some() || p.url.is_some() || p.editable {
            b.direct(&p.name, group);
            continue;
        }
        b.locked(&p.name, p.version.as_deref(), group);
    }
    b.done()
}

// ---------------------------------------------------------------- uv.lock

#[derive(Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<UvPackage>,
}

#[derive(Deserialize)]
struct UvPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    source: Option<toml::Table>,
}

pub fn uv_lock(rel: &str, text: &str) -> Parsed {
    let lock: UvLock = toml::from_str(text).map_err(|e| syntax_error(rel, text, &e))?;
    let mut b = Builder::new(rel, text, FileKind::Lock);
    for p in &lock.package {
        let source = p.source.as_ref();
        // The project itself and workspace members (`virtual`/`editable`/`directory`) are
        // not index packages.
        if source.is_some_and(|s| s.contains_key("virtual") || s.contains_key("editable")) {
            continue;
        }
        if source.is_some_and(|s| !s.contains_key("registry")) {
            b.direct(&p.name, None);
            continue;
        }
        b.locked(&p.name, p.version.as_deref(), None);
    }
    b.done()
}

// ---------------------------------------------------------------- pylock.toml

#[derive(Deserialize)]
struct Pylock {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    #[serde(default)]
    packages: Vec<PylockPackage>,
}

#[derive(Deserialize)]
struct PylockPackage {
    name: Spanned<String>,
    version: Option<String>,
    vcs: Option<toml::Value>,
    directory: Option<toml::Value>,
    archive: Option<toml::Value>,
}

pub fn pylock(rel: &str, text: &str) -> Parsed {
    let lock: Pylock = toml::from_str(text).map_err(|e| syntax_error(rel, text, &e))?;
    let mut b = Builder::new(rel, text, FileKind::Lock);
    if let Some(v) = &lock.lock_version
        && !v.starts_with("1.")
        && v != "1"
    {
        b.error(
            0,
            format!("lock-version {v} is newer than the 1.x this reader knows; read anyway"),
        );
    }
    for p in &lock.packages {
        if p.vcs.is_some() || p.directory.is_some() || p.archive.is_some() {
            b.direct(&p.name, None);
            continue;
        }
        b.locked(&p.name, p.version.as_deref(), None);
    }
    b.done()
}

// ---------------------------------------------------------------- pyproject.toml

#[derive(Deserialize, Default)]
struct Pyproject {
    #[serde(default)]
    project: Option<Project>,
    #[serde(rename = "dependency-groups", default)]
    dependency_groups: Option<toml::Table>,
    #[serde(default)]
    tool: Option<Tool>,
}

#[derive(Deserialize, Default)]
struct Project {
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
    #[serde(rename = "optional-dependencies", default)]
    optional_dependencies: std::collections::BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
struct Tool {
    poetry: Option<Poetry>,
    pdm: Option<Pdm>,
    uv: Option<Uv>,
}

#[derive(Deserialize, Default)]
struct Poetry {
    #[serde(default)]
    dependencies: toml::Table,
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: toml::Table,
    #[serde(default)]
    group: std::collections::BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize, Default)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: toml::Table,
}

#[derive(Deserialize, Default)]
struct Pdm {
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: std::collections::BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
struct Uv {
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: Vec<Spanned<String>>,
}

pub fn pyproject(rel: &str, text: &str, dir: &Path) -> Parsed {
    let doc: Pyproject = toml::from_str(text).map_err(|e| syntax_error(rel, text, &e))?;
    let mut b = Builder::new(rel, text, FileKind::Manifest);
    if let Some(project) = &doc.project {
        for r in &project.dependencies {
            b.requirement(r, dir, None);
        }
        for (extra, reqs) in &project.optional_dependencies {
            for r in reqs {
                b.requirement(r, dir, Some(extra.clone()));
            }
        }
    }
    if let Some(groups) = &doc.dependency_groups {
        // `{include-group = "x"}` entries are tables; the strings are PEP 508. Spans are
        // not kept in a `Table`, so find each string in the text.
        for (group, list) in groups {
            let Some(items) = list.as_array() else {
                continue;
            };
            let section_at = text.find("[dependency-groups]").unwrap_or(0);
            for item in items {
                if let Some(s) = item.as_str() {
                    let at = text[section_at..]
                        .find(s)
                        .map_or(section_at, |i| section_at + i);
                    b.requirement(
                        &Spanned::new(at..at + s.len(), s.to_string()),
                        dir,
                        Some(group.clone()),
                    );
                }
            }
        }
    }
    if let Some(tool) = &doc.tool {
        if let Some(poetry) = &tool.poetry {
            let mut tables: Vec<(Option<String>, &toml::Table, String)> = vec![
                (
                    None,
                    &poetry.dependencies,
                    "[tool.poetry.dependencies]".into(),
                ),
                (
                    Some("dev".into()),
                    &poetry.dev_dependencies,
                    "[tool.poetry.dev-dependencies]".into(),
                ),
            ];
            for (name, g) in &poetry.group {
                tables.push((
                    Some(name.clone()),
                    &g.dependencies,
                    format!("[tool.poetry.group.{name}.dependencies]"),
                ));
            }
            for (group, table, header) in tables {
                let section_at = text.find(&header).unwrap_or(0);
                for (name, value) in table {
                    if name.eq_ignore_ascii_case("python") {
                        continue;
                    }
                    let at = find_key(text, section_at, name);
                    poetry_entry(&mut b, name, value, at, group.clone());
                }
            }
        }
        if let Some(pdm) = &tool.pdm {
            for (group, reqs) in &pdm.dev_dependencies {
                for r in reqs {
                    b.requirement(r, dir, Some(group.clone()));
                }
            }
        }
        if let Some(uv) = &tool.uv {
            for r in &uv.dev_dependencies {
                b.requirement(r, dir, Some("dev".into()));
            }
        }
    }
    b.done()
}

fn poetry_entry(
    b: &mut Builder,
    name: &str,
    value: &toml::Value,
    at: usize,
    group: Option<String>,
) {
    let constraint = match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(t)
            if t.contains_key("git") || t.contains_key("path") || t.contains_key("url") =>
        {
            None
        }
        toml::Value::Table(t) => Some(
            t.get("version")
                .and_then(|v| v.as_str())
                .unwrap_or("*")
                .to_string(),
        ),
        // A list of constraints with markers: any of them may apply.
        toml::Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| {
                    i.get("version")
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                })
                .collect();
            Some(if parts.is_empty() {
                "*".into()
            } else {
                parts.join(" || ")
            })
        }
        _ => Some("*".into()),
    };
    let Some(constraint) = constraint else {
        b.push(name, Want::Url(String::new()), String::new(), at, group);
        return;
    };
    match poetry_constraint(&constraint) {
        Some(want) => b.push(name, want, constraint, at, group),
        None => b.error(
            at,
            format!("{name} = `{constraint}` is not a Poetry version constraint; not audited"),
        ),
    }
}

/// Poetry's constraint language: `^1.2`, `~1.2`, `1.2.*`, `*`, bare `1.2.3` (exact),
/// PEP 440 operators, `,` (and) and `||` (or).
pub fn poetry_constraint(c: &str) -> Option<Want> {
    let mut union = Range::empty();
    let alternatives: Vec<&str> = c.split("||").collect();
    for alt in &alternatives {
        let mut set = Range::full();
        let clauses: Vec<&str> = alt
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        // A single bare version is an exact pin.
        if alternatives.len() == 1
            && let [one] = clauses.as_slice()
            && one.starts_with(|ch: char| ch.is_ascii_digit())
            && !one.contains('*')
        {
            return pep::parse_version(one).map(Want::Exact);
        }
        let mut i = 0;
        while i < clauses.len() {
            // `>= 1.2` written with a space: join the operator with the version.
            let mut clause = clauses[i].to_string();
            if clause.chars().all(|ch| "<>=!~^".contains(ch)) && i + 1 < clauses.len() {
                clause.push_str(clauses[i + 1]);
                i += 1;
            }
            i += 1;
            set = set.intersection(&poetry_clause(&clause)?);
        }
        union = union.union(&set);
    }
    Some(Want::Range(union))
}

fn poetry_clause(c: &str) -> Option<Range> {
    if c == "*" {
        return Some(Range::full());
    }
    let bump = |v: &str, at: usize| -> Option<String> {
        let mut parts: Vec<u64> = v
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        parts.truncate(at + 1);
        while parts.len() <= at {
            parts.push(0);
        }
        parts[at] += 1;
        Some(
            parts
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join("."),
        )
    };
    if let Some(v) = c.strip_prefix('^') {
        let nums: Vec<u64> = v
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        // The first non-zero component may not change (`^0.2.3` means `<0.3.0`).
        let at = nums
            .iter()
            .position(|&n| n != 0)
            .unwrap_or(nums.len().saturating_sub(1));
        let upper = bump(v, at)?;
        return pep::parse_specifiers(&format!(">={v},<{upper}"));
    }
    if let Some(v) = c.strip_prefix('~').filter(|v| !v.starts_with('=')) {
        let n = v.split('.').count();
        let upper = bump(v, if n == 1 { 0 } else { 1 })?;
        return pep::parse_specifiers(&format!(">={v},<{upper}"));
    }
    if c.starts_with(|ch: char| ch.is_ascii_digit()) {
        return pep::parse_specifiers(&format!("=={c}"));
    }
    pep::parse_specifiers(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> pep::Version {
        pep::parse_version(s).unwrap()
    }

    #[test]
    fn poetry_constraints() {
        let Some(Want::Range(r)) = poetry_constraint("^4.2") else {
            panic!()
        };
        assert!(r.contains(&v("4.9")) && !r.contains(&v("5.0")) && !r.contains(&v("4.1")));
        let Some(Want::Range(r)) = poetry_constraint("^0.2.3") else {
            panic!()
        };
        assert!(r.contains(&v("0.2.9")) && !r.contains(&v("0.3")));
        let Some(Want::Range(r)) = poetry_constraint("~1.2") else {
            panic!()
        };
        assert!(r.contains(&v("1.2.7")) && !r.contains(&v("1.3")));
        let Some(Want::Range(r)) = poetry_constraint(">= 2.0, < 3 || ^5.0") else {
            panic!()
        };
        assert!(r.contains(&v("2.5")) && !r.contains(&v("4.0")) && r.contains(&v("5.1")));
        assert_eq!(poetry_constraint("4.2.7"), Some(Want::Exact(v("4.2.7"))));
        assert!(matches!(poetry_constraint("*"), Some(Want::Range(r)) if r == Range::full()));
        assert_eq!(poetry_constraint("^x"), None);
    }

    #[test]
    fn uv_lock_skips_the_project_and_keeps_lines() {
        let text = "version = 1\n\n[[package]]\nname = \"django\"\nversion = \"4.2.7\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"mysite\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\n";
        let (deps, errors) = uv_lock("uv.lock", text).unwrap();
        assert!(errors.is_empty());
        assert_eq!(deps.len(), 1);
        assert_eq!(deps[0].line, 4);
        assert_eq!(deps[0].exact(), Some(&v("4.2.7")));
    }

    #[test]
    fn broken_toml_is_an_error_with_a_line() {
        let e = poetry_lock("poetry.lock", "[[package]]\nname = \n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
