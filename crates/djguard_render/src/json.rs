//! The JSON report (schema: `schema/report.schema.json`).

use serde::Serialize;

use djguard_core::finding::{Finding, Undecided};
use djguard_core::package::DepsSummary;
use djguard_core::report::{FileError, Report, SettingsReport, TemplateCounts};

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    findings: usize,
    by_severity: std::collections::BTreeMap<&'static str, usize>,
    undecided: usize,
    errors: usize,
    files: usize,
    silenced: usize,
    suppressed: usize,
    below_confidence: usize,
    templates: TemplateCounts,
    django_version: &'a str,
    django_version_source: &'a str,
    settings: &'a [SettingsReport],
}

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    findings: &'a [Finding],
    undecided: &'a [Undecided],
    summary: Summary<'a>,
    errors: &'a [FileError],
    #[serde(skip_serializing_if = "Option::is_none")]
    dependencies: Option<&'a DepsSummary>,
}

pub fn render(report: &Report) -> String {
    let mut by_severity = std::collections::BTreeMap::new();
    for f in &report.findings {
        *by_severity.entry(f.severity.as_str()).or_insert(0) += 1;
    }
    let doc = Document {
        tool: Tool {
            name: "djguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: &report.findings,
        dependencies: report.dependencies.as_ref(),
        undecided: &report.undecided,
        summary: Summary {
            findings: report.findings.len(),
            by_severity,
            undecided: report.undecided.len(),
            errors: report.errors.len(),
            files: report.files,
            silenced: report.silenced,
            suppressed: report.suppressed,
            below_confidence: report.below_confidence,
            templates: report.templates,
            django_version: &report.django_version,
            django_version_source: &report.django_version_source,
            settings: &report.settings,
        },
        errors: &report.errors,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
