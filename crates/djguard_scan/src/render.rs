//! Scan reports for people (text) and machines (JSON document; NDJSON is written as sites
//! finish, by `run`).

use std::fmt::Write;

use serde::Serialize;

use super::analyse::SiteReport;
use super::run::Summary;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    sites: &'a [SiteReport],
    summary: &'a Summary,
}

pub fn json(reports: &[SiteReport], summary: &Summary) -> String {
    let doc = Document {
        tool: Tool {
            name: "djguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        sites: reports,
        summary,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// The summary line NDJSON ends with.
pub fn ndjson_summary(summary: &Summary) -> String {
    serde_json::to_string(&serde_json::json!({ "summary": summary })).unwrap_or_default() + "\n"
}

pub fn text(reports: &[SiteReport], summary: &Summary, color: bool) -> String {
    let (bold, dim, red, yellow, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[33m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let mut out = String::new();
    for r in reports {
        let grade = match (&r.grade, r.score) {
            (Some(g), Some(s)) => format!(
                "grade {g} ({s}){}",
                match (&r.observatory_grade, r.observatory_score) {
                    (Some(og), Some(os)) => format!(", Observatory-compatible {og} ({os})"),
                    _ => String::new(),
                }
            ),
            _ => "not graded".to_string(),
        };
        let _ = writeln!(out, "{bold}{}{reset}  {bold}{grade}{reset}", r.url);
        if let Some(c) = &r.capped_by {
            let _ = writeln!(out, "  {red}{c}{reset}");
        }
        if let Some(g) = &r.graded {
            let _ = writeln!(
                out,
                "  {dim}graded: {} -> {}; {} requests in {:.1} s{reset}",
                g.request,
                g.status.map(|s| s.to_string()).unwrap_or_default(),
                r.requests,
                r.elapsed_ms as f64 / 1000.0
            );
        }
        if r.django.detected {
            let _ = writeln!(out, "  {dim}Django: {}{reset}", r.django.signs.join(", "));
        }
        for n in &r.notes {
            let _ = writeln!(out, "  {dim}note: {n}{reset}");
        }
        for e in &r.errors {
            let _ = writeln!(out, "  {red}error: {e}{reset}");
        }
        for f in &r.findings {
            let colour = match f.severity {
                crate::finding::Severity::Critical | crate::finding::Severity::High => red,
                crate::finding::Severity::Medium => yellow,
                _ => dim,
            };
            let _ = writeln!(
                out,
                "  {colour}{}[{}]{reset} {}",
                f.severity.as_str(),
                f.rule.meta.id,
                f.message
            );
            if let Some(ev) = &f.evidence {
                let mut line = ev.request.clone();
                if let Some(s) = ev.status {
                    let _ = write!(line, " -> {s}");
                }
                for (k, v) in &ev.headers {
                    let v: String = v.chars().take(120).collect();
                    let _ = write!(line, "\n      {k}: {v}");
                }
                if let Some(d) = &ev.detail {
                    let _ = write!(line, "\n      ({d})");
                }
                let _ = writeln!(out, "    {dim}seen: {line}{reset}");
            }
            let _ = writeln!(out, "    fix: {}", f.fix);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} site(s), {} graded, {} not reachable; {} finding(s); {} requests in {:.1} s",
        summary.sites,
        summary.graded,
        summary.not_reachable,
        summary.findings,
        summary.requests,
        summary.elapsed_ms as f64 / 1000.0
    );
    out
}
