//! What a live checkup reports: each site's findings with their evidence, the redirect chain,
//! the TLS facts, the Django signs seen, the Observatory-compatible tests and the grade. Plain
//! data, serialised as the JSON output; `analyse` fills it, `render` prints it.

use serde::Serialize;

use super::fetch::TlsInfo;
use super::grade::{DjangoModifier, TestResult};
use crate::finding::Finding;
use crate::rules::LiveRule;

pub use crate::finding::Evidence;

/// A live-site finding: the shared [`Finding`], located by its URL and carrying its evidence,
/// plus the rule it came from, whose penalty the grade reads. Written out as the finding.
#[derive(Debug, Clone, Serialize)]
pub struct LiveFinding {
    #[serde(skip)]
    pub rule: &'static LiveRule,
    #[serde(flatten)]
    pub finding: Finding,
}

impl std::ops::Deref for LiveFinding {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.finding
    }
}

impl std::ops::DerefMut for LiveFinding {
    fn deref_mut(&mut self) -> &mut Finding {
        &mut self.finding
    }
}

/// A site's report.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReport {
    /// As given on the command line or in the `--from` file.
    pub url: String,
    /// The response the headers were graded on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graded: Option<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observatory_grade: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observatory_score: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped_by: Option<String>,
    /// The home page answered with a status the Observatory would refuse (4xx/5xx): the
    /// header results describe that answer.
    pub partial: bool,
    pub django: DjangoSigns,
    pub tests: Vec<TestResult>,
    pub django_modifiers: Vec<DjangoModifier>,
    pub findings: Vec<LiveFinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsInfo>,
    /// Every hop of the http:// and https:// chains: URL, status, headers.
    pub hops: Vec<Hop>,
    pub requests: u32,
    pub elapsed_ms: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the site could not be graded, or why a probe failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub request: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body was longer than --max-body and was cut (checks that read it saw a part).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub body_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_error: Option<String>,
}

/// Why we think the site runs Django.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DjangoSigns {
    pub detected: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_cookie: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_cookie: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}
