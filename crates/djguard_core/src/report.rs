//! The result of one `djguard check` run, as every renderer receives it: findings, what
//! could not be decided, files that could not be read, and what each stage read. Data only.

use serde::Serialize;

use crate::finding::{Finding, Undecided};

/// A file that could not be read or parsed; reported in `errors`, the scan goes on.
#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct SettingsReport {
    pub module: String,
    pub path: String,
    pub selected: String,
    pub deploy: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub undecided: Vec<Undecided>,
    pub errors: Vec<FileError>,
    pub settings: Vec<SettingsReport>,
    pub django_version: String,
    pub django_version_source: String,
    pub files: usize,
    /// Messages hidden by SILENCED_SYSTEM_CHECKS.
    pub silenced: usize,
    /// Findings hidden by inline `# djguard: ignore` / `# nosec` comments.
    pub suppressed: usize,
    /// Findings not listed because their confidence is below `--min-confidence`.
    pub below_confidence: usize,
    pub templates: TemplateCounts,
    /// The dependency audit's inventory, advisory sources and notes (absent when no
    /// dependency rule ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<crate::package::DepsSummary>,
    /// `djguard deps`: only the dependency audit ran.
    #[serde(skip)]
    pub deps_only: bool,
}

/// What the template audit read.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct TemplateCounts {
    /// Templates audited (test and documentation templates are not).
    pub read: usize,
    /// Templates the lexer reported problems in (still audited as far as possible).
    pub with_diagnostics: usize,
    /// Templates whose context is known from the views (or tags) that render them.
    pub linked: usize,
}
