//! GitLab Code Quality: a JSON array of issues (description, check name, fingerprint,
//! severity, location) that GitLab shows in merge requests. Live findings use their URL as
//! the location's path, since the format has no other place for it.

use serde_json::{Value, json};

use djguard_core::finding::{Location, Severity};

use crate::machine::Run;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// The Code Quality report of one run.
pub fn render(run: &Run) -> String {
    let issues: Vec<Value> = run
        .findings
        .iter()
        .map(|f| {
            let (path, begin, end) = match &f.location {
                Location::File(s) => (
                    run.file(&s.path),
                    s.line.max(1),
                    s.end_line.max(s.line).max(1),
                ),
                Location::Url { url } => (url.clone(), 1, 1),
            };
            json!({
                "type": "issue",
                "check_name": f.rule.id,
                "description": format!("{}: {}", f.rule.id, f.message),
                "content": {"body": format!("{}\n\nFix: {}", f.message, f.fix)},
                "categories": ["Security"],
                "fingerprint": f.fingerprint,
                "severity": severity(f.severity),
                "location": {"path": path, "lines": {"begin": begin, "end": end}},
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into()) + "\n"
}
