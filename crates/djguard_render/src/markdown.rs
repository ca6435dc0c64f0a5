//! Markdown for a pull-request comment: a summary table by severity, then the findings, kept
//! under GitHub's 65,536-character limit for a comment with a line saying how many did not fit.

use std::fmt::Write;

use djguard_core::finding::{Location, Severity};

use crate::machine::Run;

/// GitHub refuses comments longer than this.
pub const LIMIT: usize = 65_536;

/// The comment for one run, at most `LIMIT` characters.
pub fn render(run: &Run) -> String {
    render_limited(run, LIMIT)
}

/// The comment within `limit` characters (the findings that do not fit are counted instead).
pub fn render_limited(run: &Run, limit: usize) -> String {
    let mut head = String::new();
    let n = run.findings.len();
    let _ = writeln!(
        head,
        "## djguard {}: {n} finding{}\n",
        run.command,
        if n == 1 { "" } else { "s" }
    );
    head.push_str("| severity | findings |\n| --- | ---: |\n");
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        let count = run.findings.iter().filter(|f| f.severity == s).count();
        if count > 0 {
            let _ = writeln!(head, "| {} | {count} |", s.as_str());
        }
    }
    if !run.errors.is_empty() {
        let _ = writeln!(head, "\n{} file(s) could not be read.", run.errors.len());
    }
    head.push('\n');
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| run.findings[b].severity.cmp(&run.findings[a].severity));
    let mut body = String::new();
    let mut shown = 0;
    // Room for the "N more" line.
    let reserve = 120;
    for i in order {
        let f = run.findings[i];
        let at = match &f.location {
            Location::File(s) => format!("`{}:{}`", code(&s.path), s.line),
            Location::Url { url } => format!("`{}`", code(url)),
        };
        let item = format!(
            "- **{}** {} ({}, {} confidence) at {at}: {}  \n  Fix: {}\n",
            f.rule.id,
            text(f.rule.title),
            f.severity.as_str(),
            f.confidence.as_str(),
            text(&f.message),
            text(&f.fix)
        );
        if head.chars().count() + body.chars().count() + item.chars().count() + reserve > limit {
            break;
        }
        body.push_str(&item);
        shown += 1;
    }
    let mut out = head + &body;
    if shown < n {
        let _ = writeln!(
            out,
            "\n… and {} more finding{} not shown here (see the full report).",
            n - shown,
            if n - shown == 1 { "" } else { "s" }
        );
    }
    out
}

/// Text inside a Markdown paragraph: characters that would start markup or HTML escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside an inline code span: backticks and line breaks cannot appear in one.
fn code(s: &str) -> String {
    s.replace('`', "'").replace(['\n', '\r'], " ")
}
