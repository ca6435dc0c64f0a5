//! OSV advisories (the schema OSV.dev, the PyPA database and GitHub publish), read from JSON
//! or YAML files, folders (recursively) and zips, and evaluated exactly as the OSV spec says:
//! events sorted by version, any number of introduced/fixed pairs per range, `introduced:
//! "0"`, `last_affected`, `limit`, the explicit `versions` list; withdrawn records skipped;
//! records of one vulnerability (a PYSEC and a GHSA with the same CVE) merged by alias.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::DepError;
use super::pep::{self, Range, Version};
use crate::finding::Severity;

/// Largest advisory file or zip entry read (real records are a few KiB).
const MAX_RECORD_BYTES: u64 = 8 * 1024 * 1024;

/// Why an advisory source (`--advisories PATH`, the cached zip) or one file of it could
/// not be read. Zip entries and records that fail on their own go to
/// [`Database::errors`] instead, and the load goes on.
#[derive(Debug, thiserror::Error)]
pub enum AdvisoryLoadError {
    /// The path cannot be opened or inspected.
    #[error("{}: {source}", .path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file opens but is no zip archive.
    #[error("{}: not a readable zip ({source})", .path.display())]
    NotAZip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    /// One advisory file cannot be read (the caller names it).
    #[error(transparent)]
    Read(std::io::Error),
    /// One advisory file is larger than a record can be (8 MiB; the caller names it).
    #[error("{bytes} bytes is larger than an advisory can be; skipped")]
    TooLarge { bytes: u64 },
}

#[derive(Deserialize, Debug)]
pub struct Record {
    pub id: String,
    #[serde(default)]
    pub modified: Option<Scalar>,
    #[serde(default)]
    pub published: Option<Scalar>,
    #[serde(default)]
    pub withdrawn: Option<Scalar>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub severity: Vec<SeverityRec>,
    #[serde(default)]
    pub affected: Vec<Affected>,
    #[serde(default)]
    pub references: Vec<Reference>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// A scalar that may be written as a string or (in YAML) a number or date.
#[derive(Debug, Clone)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            S(String),
            I(i64),
            U(u64),
            F(f64),
            B(bool),
        }
        Ok(Scalar(match Any::deserialize(d)? {
            Any::S(s) => s,
            Any::I(i) => i.to_string(),
            Any::U(u) => u.to_string(),
            // An unquoted YAML `2.0` arrives as a float; its shortest text is the best guess.
            Any::F(f) => f.to_string(),
            Any::B(b) => b.to_string(),
        }))
    }
}

#[derive(Deserialize, Debug)]
pub struct SeverityRec {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub score: String,
}

#[derive(Deserialize, Debug)]
pub struct Affected {
    #[serde(default)]
    pub package: Option<PackageRec>,
    #[serde(default)]
    pub ranges: Vec<RangeRec>,
    #[serde(default)]
    pub versions: Vec<Scalar>,
    #[serde(default)]
    pub severity: Vec<SeverityRec>,
}

#[derive(Deserialize, Debug)]
pub struct PackageRec {
    #[serde(default)]
    pub ecosystem: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize, Debug)]
pub struct RangeRec {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub events: Vec<Event>,
}

#[derive(Deserialize, Debug, Default)]
pub struct Event {
    pub introduced: Option<Scalar>,
    pub fixed: Option<Scalar>,
    pub last_affected: Option<Scalar>,
    pub limit: Option<Scalar>,
}

#[derive(Deserialize, Debug)]
pub struct Reference {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: String,
}

/// One advisory as the audit uses it.
#[derive(Debug, Clone)]
pub struct Advisory {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    /// The summary is the first sentence of `details` (the record had no summary).
    pub summary_from_details: bool,
    pub published: Option<String>,
    /// The CVSS vector used for the severity, when the record has one.
    pub cvss: Option<String>,
    pub severity: Option<Severity>,
    pub url: Option<String>,
    /// Where the record was read.
    pub source: String,
    /// Per PyPI package (normalised name): the affected versions and every `fixed` version.
    pub packages: Vec<PackageEffect>,
}

#[derive(Debug, Clone)]
pub struct PackageEffect {
    pub name: String,
    pub affected: Range,
    pub fixed: Vec<Version>,
}

impl Advisory {
    pub fn effect(&self, package: &str) -> Option<&PackageEffect> {
        self.packages.iter().find(|p| p.name == package)
    }

    pub fn affects(&self, package: &str, v: &Version) -> bool {
        self.packages
            .iter()
            .any(|p| p.name == package && p.affected.contains(v))
    }

    /// The ids this advisory is known by (its own first).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Turn a record into an advisory; `None` for withdrawn records and records with nothing
/// about a PyPI package. Version strings that are not PEP 440 are skipped with a note.
pub fn convert(rec: Record, source: &str, notes: &mut Vec<String>) -> Option<Advisory> {
    if rec.withdrawn.is_some() {
        return None;
    }
    let mut packages: Vec<PackageEffect> = Vec::new();
    let mut cvss = None;
    for s in rec.severity.iter() {
        if s.kind.starts_with("CVSS") && !s.score.is_empty() {
            cvss = Some(s.score.clone());
        }
    }
    for a in &rec.affected {
        let Some(pkg) = &a.package else { continue };
        if !pkg.ecosystem.eq_ignore_ascii_case("pypi") {
            continue;
        }
        if cvss.is_none() {
            cvss = a
                .severity
                .iter()
                .find(|s| s.kind.starts_with("CVSS"))
                .map(|s| s.score.clone());
        }
        let name = pep::normalize_name(&pkg.name);
        let mut affected = Range::empty();
        let mut fixed = Vec::new();
        for r in &a.ranges {
            if r.kind != "ECOSYSTEM" {
                continue; // GIT ranges name commits; SEMVER is not used for PyPI.
            }
            let (range, fx) = evaluate_range(&r.events, &rec.id, notes);
            affected = affected.union(&range);
            fixed.extend(fx);
        }
        for v in &a.versions {
            match pep::parse_version(&v.0) {
                Some(v) => affected = affected.union(&Range::singleton(v)),
                None => notes.push(format!(
                    "{}: `{}` in `versions` is not a PEP 440 version; skipped",
                    rec.id, v.0
                )),
            }
        }
        fixed.sort();
        fixed.dedup();
        match packages.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                p.affected = p.affected.union(&affected);
                p.fixed.extend(fixed);
                p.fixed.sort();
                p.fixed.dedup();
            }
            None => packages.push(PackageEffect {
                name,
                affected,
                fixed,
            }),
        }
    }
    if packages.is_empty() {
        return None;
    }
    let (severity, cvss) = match cvss.as_deref().and_then(cvss_severity) {
        Some(s) => (Some(s), cvss),
        None => (ghsa_label(rec.database_specific.as_ref()), None),
    };
    let own = rec.summary.filter(|s| !s.trim().is_empty());
    let summary_from_details = own.is_none();
    let summary = own
        .or_else(|| rec.details.as_deref().map(first_sentence))
        .unwrap_or_default();
    let url = rec
        .references
        .iter()
        .find(|r| r.kind == "ADVISORY")
        .or_else(|| rec.references.first())
        .map(|r| r.url.clone());
    let mut aliases = rec.aliases;
    aliases.retain(|a| *a != rec.id);
    Some(Advisory {
        id: rec.id,
        aliases,
        summary,
        summary_from_details,
        published: rec.published.map(|p| p.0),
        cvss,
        severity,
        url,
        source: source.to_string(),
        packages,
    })
}

/// One OSV range as a set of versions, and its `fixed` versions. The walk is the spec's:
/// sort events by version (`introduced: "0"` first), then each `introduced` opens an
/// affected interval, `fixed` closes it before that version, `last_affected` after it;
/// `limit` events cap the whole range.
fn evaluate_range(events: &[Event], id: &str, notes: &mut Vec<String>) -> (Range, Vec<Version>) {
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Kind {
        Introduced,
        Fixed,
        LastAffected,
    }
    let mut evs: Vec<(Option<Version>, Kind)> = Vec::new();
    let mut limits: Vec<Version> = Vec::new();
    let mut fixed = Vec::new();
    for e in events {
        let (raw, kind) = match (&e.introduced, &e.fixed, &e.last_affected, &e.limit) {
            (Some(v), None, None, None) => (v, Kind::Introduced),
            (None, Some(v), None, None) => (v, Kind::Fixed),
            (None, None, Some(v), None) => (v, Kind::LastAffected),
            (None, None, None, Some(v)) => {
                match pep::parse_version(&v.0) {
                    Some(v) => limits.push(v),
                    None if v.0 == "*" => {}
                    None => notes.push(format!(
                        "{id}: limit `{}` is not a PEP 440 version; skipped",
                        v.0
                    )),
                }
                continue;
            }
            _ => {
                notes.push(format!(
                    "{id}: an event with other than exactly one key; skipped"
                ));
                continue;
            }
        };
        if kind == Kind::Introduced && raw.0 == "0" {
            evs.push((None, kind));
            continue;
        }
        match pep::parse_version(&raw.0) {
            Some(v) => {
                if kind == Kind::Fixed {
                    fixed.push(v.clone());
                }
                evs.push((Some(v), kind));
            }
            None => notes.push(format!(
                "{id}: `{}` is not a PEP 440 version; event skipped",
                raw.0
            )),
        }
    }
    // `None` (introduced 0) sorts first; at one version an introduction comes before the
    // fix that closes another interval there.
    evs.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut range = Range::empty();
    let mut open: Option<Option<Version>> = None;
    let start_set = |start: &Option<Version>| match start {
        None => Range::full(),
        Some(s) => Range::higher_than(s.clone()),
    };
    for (v, kind) in evs {
        match kind {
            Kind::Introduced => {
                if open.is_none() {
                    open = Some(v);
                }
            }
            Kind::Fixed | Kind::LastAffected => {
                let (Some(start), Some(end)) = (open.take(), v) else {
                    continue;
                };
                let upto = if kind == Kind::Fixed {
                    Range::strictly_lower_than(end)
                } else {
                    Range::lower_than(end)
                };
                range = range.union(&start_set(&start).intersection(&upto));
            }
        }
    }
    if let Some(start) = open {
        range = range.union(&start_set(&start));
    }
    if !limits.is_empty() {
        let mut below = Range::empty();
        for l in limits {
            below = below.union(&Range::strictly_lower_than(l));
        }
        range = range.intersection(&below);
    }
    (range, fixed)
}

fn first_sentence(details: &str) -> String {
    let line = details
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let end = line.find(". ").map_or(line.len(), |i| i + 1);
    let s = &line[..end];
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

/// Severity from a CVSS v3/v4 vector (base score bands).
pub fn cvss_severity(vector: &str) -> Option<Severity> {
    let c: cvss::Cvss = vector.parse().ok()?;
    Some(match c.severity() {
        cvss::Severity::None => Severity::Info,
        cvss::Severity::Low => Severity::Low,
        cvss::Severity::Medium => Severity::Medium,
        cvss::Severity::High => Severity::High,
        cvss::Severity::Critical => Severity::Critical,
    })
}

/// GitHub's label (`database_specific.severity`) when there is no vector.
fn ghsa_label(db: Option<&serde_json::Value>) -> Option<Severity> {
    let label = db?.get("severity")?.as_str()?;
    Some(match label.to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MODERATE" | "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        _ => return None,
    })
}

/// Why one advisory document was skipped (the message names what it is not).
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("not valid JSON: {0}")]
    Json(serde_json::Error),
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("not valid YAML: {0}")]
    Yaml(serde_yaml_ng::Error),
    #[error("not an OSV record: {0}")]
    NotARecord(serde_json::Error),
}

/// Parse one advisory document (JSON or YAML, one record or a list of records).
pub fn parse_document(name: &str, bytes: &[u8]) -> Result<Vec<Record>, DocumentError> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        let v: serde_json::Value = serde_json::from_slice(bytes).map_err(DocumentError::Json)?;
        return records_of(v);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| DocumentError::NotUtf8)?;
    let v: serde_json::Value = serde_yaml_ng::from_str(text).map_err(DocumentError::Yaml)?;
    records_of(v)
}

fn records_of(v: serde_json::Value) -> Result<Vec<Record>, DocumentError> {
    let items = match v {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|i| serde_json::from_value::<Record>(i).map_err(DocumentError::NotARecord))
        .collect()
}

fn is_advisory_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Advisories of every package, merged from every source.
#[derive(Default)]
pub struct Database {
    by_package: HashMap<String, Vec<Arc<Advisory>>>,
    pub records: usize,
    pub notes: Vec<String>,
    pub errors: Vec<DepError>,
}

impl Database {
    pub fn add(&mut self, a: Advisory) {
        let a = Arc::new(a);
        self.records += 1;
        for p in &a.packages {
            let list = self.by_package.entry(p.name.clone()).or_default();
            if !list.iter().any(|x| x.id == a.id && x.source == a.source) {
                list.push(a.clone());
            }
        }
    }

    pub fn for_package(&self, name: &str) -> &[Arc<Advisory>] {
        self.by_package.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn packages(&self) -> usize {
        self.by_package.len()
    }

    fn add_document(&mut self, name: &str, bytes: &[u8], source: &str) {
        match parse_document(name, bytes) {
            Ok(records) => {
                for r in records {
                    let mut notes = Vec::new();
                    if let Some(a) = convert(r, source, &mut notes) {
                        self.add(a);
                    }
                    self.notes.extend(notes);
                }
            }
            Err(e) => self.errors.push(DepError {
                path: name.to_string(),
                line: None,
                message: format!("advisory skipped: {e}"),
            }),
        }
    }

    /// `--advisories PATH`: a folder (read recursively), a zip, or one file.
    pub fn load_path(&mut self, path: &Path) -> Result<(), AdvisoryLoadError> {
        let meta = std::fs::metadata(path).map_err(|source| AdvisoryLoadError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files, 0);
            files.sort();
            for f in files {
                let shown = f.display().to_string();
                match read_limited(&f) {
                    Ok(bytes) => self.add_document(&shown, &bytes, &shown),
                    Err(e) => self.errors.push(DepError {
                        path: shown,
                        line: None,
                        message: e.to_string(),
                    }),
                }
            }
            return Ok(());
        }
        let lower = path.to_string_lossy().to_ascii_lowercase();
        if lower.ends_with(".zip") {
            return self.load_zip(path, None);
        }
        let bytes = read_limited(path)?;
        let shown = path.display().to_string();
        self.add_document(&shown, &bytes, &shown);
        Ok(())
    }

    /// Read a zip of advisories; with `only`, just the entries named there.
    pub fn load_zip(
        &mut self,
        path: &Path,
        only: Option<&[String]>,
    ) -> Result<(), AdvisoryLoadError> {
        let file = std::fs::File::open(path).map_err(|source| AdvisoryLoadError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        // Buffered: the central directory is read in many small pieces.
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|source| {
            AdvisoryLoadError::NotAZip {
                path: path.to_path_buf(),
                source,
            }
        })?;
        let names: Vec<String> = match only {
            Some(list) => list.to_vec(),
            None => zip
                .file_names()
                .filter_map(|n| n.ok().map(|n| n.into_owned()))
                .filter(|n| is_advisory_name(n))
                .collect(),
        };
        let shown = path.display().to_string();
        for name in names {
            let mut entry = match zip.by_name(&name) {
                Ok(e) => e,
                Err(e) => {
                    self.errors.push(DepError {
                        path: format!("{shown}!{name}"),
                        line: None,
                        message: format!("cannot read zip entry: {e}"),
                    });
                    continue;
                }
            };
            if entry.size() > MAX_RECORD_BYTES {
                self.errors.push(DepError {
                    path: format!("{shown}!{name}"),
                    line: None,
                    message: format!(
                        "entry of {} bytes is larger than an advisory can be; skipped",
                        entry.size()
                    ),
                });
                continue;
            }
            let mut bytes = Vec::new();
            if let Err(e) = (&mut entry)
                .take(MAX_RECORD_BYTES + 1)
                .read_to_end(&mut bytes)
            {
                self.errors.push(DepError {
                    path: format!("{shown}!{name}"),
                    line: None,
                    message: format!("cannot read zip entry: {e}"),
                });
                continue;
            }
            self.add_document(&name, &bytes, &shown);
        }
        Ok(())
    }
}

/// One advisory file, refused when larger than [`MAX_RECORD_BYTES`]; the error does not
/// name the path (callers do).
fn read_limited(path: &Path) -> Result<Vec<u8>, AdvisoryLoadError> {
    let len = std::fs::metadata(path)
        .map_err(AdvisoryLoadError::Read)?
        .len();
    if len > MAX_RECORD_BYTES {
        return Err(AdvisoryLoadError::TooLarge { bytes: len });
    }
    std::fs::read(path).map_err(AdvisoryLoadError::Read)
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&p, out, depth + 1);
        } else if ft.is_file() && is_advisory_name(&p.to_string_lossy()) {
            out.push(p);
        }
    }
}

/// Group advisories that share an id or alias (a PYSEC record and the GHSA record of the
/// same CVE are one vulnerability).
pub fn merge_by_alias(list: &[Arc<Advisory>]) -> Vec<Vec<Arc<Advisory>>> {
    let n = list.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        let mut i = i;
        while p[i] != r {
            let next = p[i];
            p[i] = r;
            i = next;
        }
        r
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, a) in list.iter().enumerate() {
        for id in a.ids() {
            match owner.get(id) {
                Some(&j) => {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    if ri != rj {
                        parent[ri] = rj;
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<Arc<Advisory>>)> = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let r = find(&mut parent, i);
        match groups.iter_mut().find(|(g, _)| *g == r) {
            Some((_, v)) => v.push(a.clone()),
            None => groups.push((r, vec![a.clone()])),
        }
    }
    groups.into_iter().map(|(_, v)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        pep::parse_version(s).unwrap()
    }

    fn record(yaml: &str) -> Advisory {
        let recs = parse_document("x.yaml", yaml.as_bytes()).unwrap();
        convert(recs.into_iter().next().unwrap(), "test", &mut Vec::new()).unwrap()
    }

    #[test]
    fn load_errors_name_the_path() {
        let dir = std::env::temp_dir().join(format!("djguard-osv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.zip");
        let io = std::fs::metadata(&missing).unwrap_err();
        let mut db = Database::default();
        let e = db.load_path(&missing).unwrap_err();
        assert_eq!(e.to_string(), format!("{}: {io}", missing.display()));
        assert!(std::error::Error::source(&e).is_some());
        let e = db.load_zip(&missing, None).unwrap_err();
        assert_eq!(e.to_string(), format!("{}: {io}", missing.display()));
        let bad = dir.join("bad.zip");
        std::fs::write(&bad, b"not a zip").unwrap();
        let e = db.load_path(&bad).unwrap_err();
        assert!(matches!(e, AdvisoryLoadError::NotAZip { .. }));
        assert!(
            e.to_string()
                .starts_with(&format!("{}: not a readable zip (", bad.display())),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            AdvisoryLoadError::TooLarge { bytes: 9 }.to_string(),
            "9 bytes is larger than an advisory can be; skipped"
        );
    }

    #[test]
    fn unsorted_events_with_two_pairs() {
        let a = record(
            "id: X-1\naffected:\n- package: {ecosystem: PyPI, name: Django}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: '5.0'\n    - fixed: 5.0.8\n    - introduced: '4.2'\n    - fixed: 4.2.15\n",
        );
        for (ver, hit) in [
            ("4.1.9", false),
            ("4.2", true),
            ("4.2.14", true),
            ("4.2.15", false),
            ("4.2.20", false),
            ("5.0", true),
            ("5.0.7", true),
            ("5.0.8", false),
            ("5.1", false),
        ] {
            assert_eq!(a.affects("django", &v(ver)), hit, "{ver}");
        }
    }

    #[test]
    fn introduced_zero_last_affected_limit_and_versions() {
        let a = record(
            "id: X-2\naffected:\n- package: {ecosystem: PyPI, name: p}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: '0'\n    - last_affected: '1.4'\n  versions: ['2.0']\n",
        );
        assert!(a.affects("p", &v("0.1")));
        assert!(a.affects("p", &v("1.4")));
        assert!(!a.affects("p", &v("1.4.1")));
        assert!(a.affects("p", &v("2.0")));
        assert!(!a.affects("p", &v("2.0.1")));
        let b = record(
            "id: X-3\naffected:\n- package: {ecosystem: PyPI, name: p}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: '1.0'\n    - limit: '3.0'\n",
        );
        assert!(
            b.affects("p", &v("2.9")) && !b.affects("p", &v("3.0")) && !b.affects("p", &v("0.9"))
        );
    }

    #[test]
    fn withdrawn_and_other_ecosystems_are_skipped() {
        let recs = parse_document("w.yaml", b"id: W-1\nwithdrawn: 2024-01-01T00:00:00Z\naffected:\n- package: {ecosystem: PyPI, name: p}\n  versions: ['1.0']\n").unwrap();
        assert!(convert(recs.into_iter().next().unwrap(), "t", &mut Vec::new()).is_none());
        let recs = parse_document("n.json", br#"{"id":"N-1","affected":[{"package":{"ecosystem":"npm","name":"p"},"versions":["1.0"]}]}"#).unwrap();
        assert!(convert(recs.into_iter().next().unwrap(), "t", &mut Vec::new()).is_none());
    }

    #[test]
    fn aliases_merge_transitively() {
        let mk = |id: &str, aliases: &[&str]| {
            Arc::new(Advisory {
                id: id.into(),
                aliases: aliases.iter().map(|s| s.to_string()).collect(),
                summary: String::new(),
                summary_from_details: false,
                published: None,
                cvss: None,
                severity: None,
                url: None,
                source: String::new(),
                packages: Vec::new(),
            })
        };
        let groups = merge_by_alias(&[
            mk("PYSEC-1", &["CVE-1"]),
            mk("GHSA-1", &["CVE-1"]),
            mk("PYSEC-2", &[]),
            mk("CVE-1", &[]),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].len(), 3);
    }

    #[test]
    fn cvss_bands() {
        assert_eq!(
            cvss_severity("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some(Severity::Critical)
        );
        assert_eq!(
            cvss_severity("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
            Some(Severity::High)
        );
        assert_eq!(cvss_severity("nonsense"), None);
        // Incomplete, duplicated or unknown metrics are not a severity (and never a panic).
        for v in [
            "CVSS:3.1/AV:N",
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:4.0/AV:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/E:A",
            "CVSS:9.9/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/",
            "CVSS:",
            "",
        ] {
            let _ = cvss_severity(v);
        }
        assert_eq!(
            cvss_severity("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            Some(Severity::Critical)
        );
    }

    #[test]
    fn a_skipped_document_says_what_it_is_not() {
        let msg = |name: &str, bytes: &[u8]| match parse_document(name, bytes) {
            Err(e) => e.to_string(),
            Ok(r) => format!("parsed {} records", r.len()),
        };
        assert!(msg("a.json", b"{").starts_with("not valid JSON: "));
        assert_eq!(msg("a.yaml", b"id: \xff"), "not UTF-8 text");
        assert!(msg("a.yml", b"id: [unclosed").starts_with("not valid YAML: "));
        assert!(msg("a.json", br#"{"id": 5}"#).starts_with("not an OSV record: "));
        assert!(msg("a.json", br#"[{"id": "X-1"}, 3]"#).starts_with("not an OSV record: "));
    }
}
