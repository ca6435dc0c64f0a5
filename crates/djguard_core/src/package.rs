//! The dependency audit's vocabulary as reports carry it: the packages read, the advisories
//! matched, the summary of the stage. Data only; reading files and matching advisories belong
//! to the dependency audit crate.

use serde::Serialize;

/// What kind of file a dependency was read from: a lock pins what is installed, a manifest
/// states what is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Lock,
    Requirements,
    Constraints,
    Manifest,
}

/// One package as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryEntry {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub spec: String,
    /// `pinned`, `range` or `direct` (a URL, VCS or path reference).
    pub status: &'static str,
    pub path: String,
    pub line: u32,
    pub kind: FileKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// What the dependency stage reports besides findings.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DepsSummary {
    pub files: Vec<String>,
    pub packages: usize,
    pub pinned: usize,
    pub ranges: usize,
    pub direct: usize,
    /// Where advisories came from, in words.
    pub sources: Vec<String>,
    /// Things the reader should know (missing or old cache, skipped records).
    pub notes: Vec<String>,
    pub dependencies: Vec<InventoryEntry>,
    /// Findings hidden by an inline comment or `ignore-advisories`.
    #[serde(skip)]
    pub suppressed: usize,
}

/// Per-finding detail for machines.
#[derive(Debug, Clone, Serialize)]
pub struct PackageInfo {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub spec: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<AdvisoryInfo>,
    /// The smallest upgrade that clears every advisory (exact pins) or the lowest bound that
    /// does (ranges).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdvisoryInfo {
    /// The id shown (a CVE when there is one).
    pub id: String,
    /// Every id of the merged records (PYSEC, GHSA, CVE, ...).
    pub ids: Vec<String>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub fixed_in: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub sources: Vec<String>,
}
