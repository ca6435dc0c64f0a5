//! What a live checkup reports: each site's findings with their evidence, the redirect chain,
//! the TLS facts, the Django signs seen, the Observatory-compatible tests and the grade. Plain
//! data, serialised as the JSON output; `analyse` fills it, `render` prints it.

use serde::Serialize;

use super::fetch::TlsInfo;
use super::grade::{DjangoModifier, TestResult};
use crate::finding::{Confidence, Severity};
use crate::rules::LiveRule;

/// The request and response a finding is about.
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

/// A live-site finding (PRODUCT.md §3: `url` instead of `path`/`line`).
#[derive(Debug, Clone, Serialize)]
pub struct LiveFinding {
    /// The rule, with its metadata and score penalty; written out as its id.
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static LiveRule,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwe: Option<u32>,
    pub message: String,
    pub url: String,
    pub fix: String,
    pub fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

fn rule_id<S: serde::Serializer>(rule: &&'static LiveRule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.meta.id)
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
