//! Output for people: a summary first (counts by severity and by rule, the settings module and
//! why it was chosen), then the findings most severe first, each with the source line, a caret
//! under the offending code and the fix (the rustc/ruff look, via annotate-snippets). Findings
//! of one rule that share their advice are listed under one heading that says it once. Machine
//! formats keep the contract's path order; only this view reorders.

use std::fmt::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use djguard_core::finding::{Finding, Severity};
use djguard_core::report::Report;

/// The report for a terminal.
pub fn render(report: &Report, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    out.push_str(&header(report));
    let order = text_order(report);
    let mut i = 0;
    while i < order.len() {
        // A run of findings of one rule with the same advice (in text order) is one group.
        let first = &report.findings[order[i]];
        let mut j = i + 1;
        while j < order.len() && {
            let g = &report.findings[order[j]];
            g.rule.id == first.rule.id && g.fix == first.fix && g.severity == first.severity
        } {
            j += 1;
        }
        let grouped = j - i >= 3;
        if grouped {
            let title = first.rule.title;
            let _ = writeln!(
                out,
                "== {} ({} findings): {title}\n   fix (for each of them): {}\n",
                first.rule.id,
                j - i,
                first.fix
            );
        }
        for &k in &order[i..j] {
            render_one(&mut out, &renderer, &report.findings[k], !grouped);
        }
        i = j;
    }
    if !report.undecided.is_empty() {
        let _ = writeln!(
            out,
            "Could not decide {} check(s) statically (they never fire on a guess):",
            report.undecided.len()
        );
        for u in &report.undecided {
            let _ = writeln!(out, "  {} ({}): {}", u.rule, u.settings_module, u.reason);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}

/// One finding in the rustc/ruff look; `with_fix` is false inside a group whose heading gave
/// the advice.
fn render_one(out: &mut String, renderer: &Renderer, f: &Finding, with_fix: bool) {
    let level = match f.severity {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low | Severity::Info => Level::NOTE,
    };
    let title = format!(
        "{} [{}, {} confidence]",
        f.message,
        f.severity.as_str(),
        f.confidence.as_str()
    );
    let line_text = f.source_line.as_str();
    let Some(at) = f.span() else {
        // A live finding: its URL, no source.
        let mut main = level
            .primary_title(title)
            .id(f.rule.id)
            .element(Level::NOTE.message(f.path()));
        if with_fix {
            main = main.element(Level::HELP.message(format!("fix: {}", f.fix)));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&[main]));
        return;
    };
    let start = char_to_byte(line_text, at.column.saturating_sub(1) as usize);
    let end = if at.end_line == at.line {
        char_to_byte(line_text, at.end_column.saturating_sub(1) as usize)
    } else {
        line_text.len()
    };
    // A zero-width location (a setting left at its default) marks one character.
    let end = if end <= start {
        line_text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8())
    } else {
        end
    };
    let mut main = level.primary_title(title).id(f.rule.id).element(
        Snippet::source(line_text)
            .line_start(at.line as usize)
            .path(at.path.as_str())
            .annotation(AnnotationKind::Primary.span(start..end)),
    );
    if with_fix {
        main = main.element(Level::HELP.message(format!("fix: {}", f.fix)));
    }
    let mut groups = vec![main];
    if let Some(m) = &f.settings_module {
        groups.push(Group::with_title(
            Level::NOTE.secondary_title(format!("evaluated for settings module {m}")),
        ));
    }
    let _ = writeln!(out, "{}\n", renderer.render(&groups));
}

/// Indices of the findings in the order people read them: most severe first, then most
/// confident, then by rule (so a rule's findings stand together), then path order.
pub fn text_order(report: &Report) -> Vec<usize> {
    let mut order: Vec<usize> = (0..report.findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&report.findings[a], &report.findings[b]);
        b.severity
            .cmp(&a.severity)
            .then(b.confidence.cmp(&a.confidence))
            .then(a.rule.id.cmp(b.rule.id))
            .then(a.sort_key().cmp(&b.sort_key()))
    });
    order
}

/// The opening summary: what was found, by severity and by rule, and which settings module
/// was judged and why.
fn header(report: &Report) -> String {
    let mut out = String::new();
    if report.findings.is_empty() {
        return out;
    }
    let mut by_sev: std::collections::BTreeMap<std::cmp::Reverse<Severity>, usize> =
        std::collections::BTreeMap::new();
    let mut by_rule: std::collections::BTreeMap<&str, (Severity, usize, &str)> =
        std::collections::BTreeMap::new();
    for f in &report.findings {
        *by_sev.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
        let e = by_rule
            .entry(f.rule.id)
            .or_insert((f.severity, 0, f.rule.title));
        e.0 = e.0.max(f.severity);
        e.1 += 1;
    }
    let sev: Vec<String> = by_sev
        .iter()
        .map(|(s, n)| format!("{n} {}", s.0.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "djguard: {} finding(s): {}.",
        report.findings.len(),
        sev.join(", ")
    );
    let mut rules: Vec<(&str, Severity, usize, &str)> = by_rule
        .into_iter()
        .map(|(r, (s, n, title))| (r, s, n, title))
        .collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    for (rule, severity, n, title) in rules {
        let _ = writeln!(out, "  {n:>4}  {rule:<14} {:<8} {title}", severity.as_str());
    }
    for s in &report.settings {
        let _ = writeln!(
            out,
            "Settings judged: {} ({}){}.",
            s.module,
            s.selected,
            if s.deploy {
                ""
            } else {
                "; development settings, deployment checks skipped"
            }
        );
    }
    out.push('\n');
    out
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// One line per file that could not be read or parsed (text mode prints these to stderr).
pub fn error_lines(report: &Report) -> String {
    let mut out = String::new();
    for e in &report.errors {
        let loc = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", e.path),
            _ => e.path.clone(),
        };
        let _ = writeln!(out, "djguard: error: {loc}: {}", e.message);
    }
    out
}

pub fn summary_line(report: &Report) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for f in &report.findings {
        *counts
            .entry(std::cmp::Reverse(f.severity))
            .or_insert(0usize) += 1;
    }
    let detail: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{n} {}", s.0.as_str()))
        .collect();
    let settings: Vec<String> = report
        .settings
        .iter()
        .map(|s| {
            format!(
                "{} ({}{})",
                s.module,
                s.selected,
                if s.deploy {
                    ""
                } else {
                    "; development settings, deployment checks skipped"
                }
            )
        })
        .collect();
    let mut line = format!(
        "{} finding(s){} in {} file(s){}{}; Django {} ({}).",
        report.findings.len(),
        if detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", detail.join(", "))
        },
        report.files,
        match report.templates {
            t if t.read == 0 => String::new(),
            t => format!(
                " ({} template(s), {} linked to their views)",
                t.read, t.linked
            ),
        },
        if report.errors.is_empty() {
            String::new()
        } else {
            format!(", {} unreadable (see stderr)", report.errors.len())
        },
        report.django_version,
        report.django_version_source
    );
    if let Some(d) = &report.dependencies {
        let _ = write!(
            line,
            "\nDependencies: {} package entr{} in {} file(s) ({} pinned, {} range(s), {} direct reference(s)). Advisories: {}.",
            d.packages,
            if d.packages == 1 { "y" } else { "ies" },
            d.files.len(),
            d.pinned,
            d.ranges,
            d.direct,
            d.sources.join("; ")
        );
        for note in &d.notes {
            let _ = write!(line, "\nNote: {note}.");
        }
    }
    if report.deps_only {
    } else if settings.is_empty() {
        line.push_str("\nNo settings module found: pass --settings FILE_OR_MODULE.");
    } else {
        let _ = write!(line, "\nSettings: {}.", settings.join("; "));
    }
    if report.below_confidence > 0 {
        let _ = write!(
            line,
            "\n{} low-confidence finding(s) not shown: dangerous calls or template output with no proven request source (--min-confidence low lists them).",
            report.below_confidence
        );
    }
    if report.silenced > 0 || report.suppressed > 0 {
        let _ = write!(
            line,
            "\n{} silenced by SILENCED_SYSTEM_CHECKS, {} suppressed inline.",
            report.silenced, report.suppressed
        );
    }
    line
}
