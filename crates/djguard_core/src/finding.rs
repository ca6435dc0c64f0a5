//! What a rule reports: the finding record of the contract (PRODUCT.md §3), severities and
//! the list of checks that could not be decided.

use serde::Serialize;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// One step lower: how unproven reports (low confidence) are graded.
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(&self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A severity or confidence word that is not one: the one message both the command line and
/// the configuration file give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not a {what}: expected {expected}")]
pub struct UnknownLevel {
    given: String,
    what: &'static str,
    expected: &'static str,
}

impl std::str::FromStr for Severity {
    type Err = UnknownLevel;

    /// Any case: `high`, `HIGH`.
    fn from_str(s: &str) -> Result<Severity, UnknownLevel> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => {
                return Err(UnknownLevel {
                    given: s.to_string(),
                    what: "severity",
                    expected: "critical, high, medium, low or info",
                });
            }
        })
    }
}

impl std::str::FromStr for Confidence {
    type Err = UnknownLevel;

    /// Any case: `medium`, `Medium`.
    fn from_str(s: &str) -> Result<Confidence, UnknownLevel> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => {
                return Err(UnknownLevel {
                    given: s.to_string(),
                    what: "confidence",
                    expected: "high, medium or low",
                });
            }
        })
    }
}

/// Where a finding is: a range of one of the project's files, or a page of a live site.
/// Written out flattened into the finding: `path`, `line`, `column`, `end_line`,
/// `end_column`, or `url` (PRODUCT.md §3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Location {
    File(FileSpan),
    Url { url: String },
}

/// A range of a project file: 1-based lines and columns (columns in characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileSpan {
    /// Relative to the project root, `/`-separated.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// The request and response a live finding is about.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub request: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The headers the judgement read (all of them when it read the whole response).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One finding of any stage: settings, code, templates, dependencies, or a live site.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule's metadata; written out as its id.
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static crate::rule::RuleMeta,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwe: Option<u32>,
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
    pub fix: String,
    pub fingerprint: String,
    /// The settings module the finding was evaluated for (settings rules only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings_module: Option<String>,
    /// Environment variables the finding depends on: it holds for the deployment only when
    /// these are as stated (`provided: false` means the reader's default applied).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<EnvDep>,
    /// For code findings with a proven flow: the source, each step, and the sink.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<FlowStep>,
    /// For dependency findings: the package, its version or range, the advisories and the
    /// fix version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Box<crate::package::PackageInfo>>,
    /// For live findings: the request and the response that show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Box<Evidence>>,
    /// The text of the first line, for the terminal snippet (file findings).
    #[serde(skip)]
    pub source_line: String,
}

impl Finding {
    /// A finding of `meta` in `path`, its fingerprint from the location-free `key`. The
    /// severity follows the confidence policy: low confidence is one step below the rule's.
    /// Callers fill in the message, fix and position.
    pub fn new(
        meta: &'static crate::rule::RuleMeta,
        path: &str,
        key: &str,
        confidence: Confidence,
    ) -> Finding {
        Finding {
            location: Location::File(FileSpan {
                path: path.to_string(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            }),
            fingerprint: fingerprint(meta.id, path, key),
            ..Finding::bare(meta, confidence)
        }
    }

    /// A finding of `meta` about the page at `url`; the caller computes the fingerprint.
    pub fn at_url(
        meta: &'static crate::rule::RuleMeta,
        url: String,
        fingerprint: String,
        confidence: Confidence,
    ) -> Finding {
        Finding {
            location: Location::Url { url },
            fingerprint,
            ..Finding::bare(meta, confidence)
        }
    }

    fn bare(meta: &'static crate::rule::RuleMeta, confidence: Confidence) -> Finding {
        Finding {
            rule: meta,
            severity: if confidence == Confidence::Low {
                meta.severity.lower()
            } else {
                meta.severity
            },
            confidence,
            cwe: meta.cwe,
            message: String::new(),
            location: Location::Url { url: String::new() },
            fix: String::new(),
            fingerprint: String::new(),
            settings_module: None,
            environment: Vec::new(),
            flow: Vec::new(),
            package: None,
            evidence: None,
            source_line: String::new(),
        }
    }

    /// The file and range, for a finding in a file.
    pub fn span(&self) -> Option<&FileSpan> {
        match &self.location {
            Location::File(s) => Some(s),
            Location::Url { .. } => None,
        }
    }

    pub fn span_mut(&mut self) -> Option<&mut FileSpan> {
        match &mut self.location {
            Location::File(s) => Some(s),
            Location::Url { .. } => None,
        }
    }

    /// The file's path, or the page's URL.
    pub fn path(&self) -> &str {
        match &self.location {
            Location::File(s) => &s.path,
            Location::Url { url } => url,
        }
    }

    /// The first line (1 for a live finding).
    pub fn line(&self) -> u32 {
        self.span().map_or(1, |s| s.line)
    }

    /// The contract's output order: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        let (line, column) = self.span().map_or((1, 1), |s| (s.line, s.column));
        (self.path(), line, column, self.rule.id, &self.message)
    }
}

/// How a value depends on one environment variable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct EnvDep {
    pub var: String,
    /// The variable was given (`--env`/`--env-file`); otherwise the reader's default applied.
    pub provided: bool,
}

impl std::fmt::Display for EnvDep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.provided {
            write!(f, "with {} as given", self.var)
        } else {
            write!(f, "when {} is unset", self.var)
        }
    }
}

fn rule_id<S: serde::Serializer>(
    rule: &&'static crate::rule::RuleMeta,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

/// One step of a data flow: where it is and what happened there.
#[derive(Clone, Debug, Serialize)]
pub struct FlowStep {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub description: String,
}

/// A check that could not be decided, and why (it never fires on a guess).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Undecided {
    pub rule: String,
    pub settings_module: String,
    pub reason: String,
}

/// A stable fingerprint: rule, file and a location-free key (e.g. the setting's name), so it
/// survives line moves and unrelated edits.
pub fn fingerprint(rule: &str, path: &str, key: &str) -> String {
    short_digest(
        [rule, path, key]
            .into_iter()
            .flat_map(|part| [part.as_bytes(), &[0u8][..]]),
    )
}

/// The first 8 bytes of the SHA-256 of the concatenated parts, in hex: the one hash every
/// fingerprint (static and live) is made with.
pub fn short_digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
