//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! which the runner turns into annotations on the pull request's files.

use std::fmt::Write;

use djguard_core::finding::{Location, Severity};

use crate::machine::Run;

/// The workflow commands of one run, one per line.
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for f in &run.findings {
        let command = match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "notice",
        };
        let title = format!("{} {}", f.rule.id, f.rule.title);
        let mut props = Vec::new();
        let mut message = format!("{} Fix: {}", f.message, f.fix);
        match &f.location {
            Location::File(s) => {
                props.push(format!("file={}", property(&run.file(&s.path))));
                props.push(format!("line={}", s.line.max(1)));
                props.push(format!("col={}", s.column.max(1)));
                if s.end_line >= s.line {
                    props.push(format!("endLine={}", s.end_line.max(1)));
                }
                if s.end_line == s.line && s.end_column > s.column {
                    props.push(format!("endColumn={}", s.end_column));
                }
            }
            // Live messages usually name their URL already.
            Location::Url { url } if !f.message.contains(url.as_str()) => {
                message = format!("{url}: {message}");
            }
            Location::Url { .. } => {}
        }
        props.push(format!("title={}", property(&title)));
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    for e in run.errors {
        let mut props = vec![format!("file={}", property(&run.file(&e.path)))];
        if let Some(l) = e.line {
            props.push(format!("line={}", l.max(1)));
        }
        props.push("title=djguard could not read this file".to_string());
        let _ = writeln!(out, "::warning {}::{}", props.join(","), data(&e.message));
    }
    out
}

/// A command's message: `%`, CR and LF escaped as GitHub's runner expects.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as [`data`], and `:` and `,`, which would end the value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
