//! The HTML report's inputs: the summary facts of a `check` or `scan` run, the source excerpts
//! (read here, so the renderer reads no file) and one card per scanned site.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use djguard_core::finding::{Finding, Location};
use djguard_core::report::Report;
use djguard_render as render;

/// Lines shown before and after a finding's range.
const CONTEXT: u32 = 2;
/// At most this many lines of a range are shown (a finding over a whole function shows its
/// start).
const MAX_RANGE: u32 = 8;
/// A line is cut after this many characters (minified files).
const MAX_LINE: usize = 240;
/// Files larger than this are not excerpted.
const MAX_FILE: u64 = 8 * 1024 * 1024;

/// One excerpted file: its lines as djguard counted them when it placed the findings
/// (Python's universal newlines for `.py`, `\n` only for templates and requirement files).
struct Source {
    text: String,
    lines: djguard_python::Lines,
}

/// Reads the project's files once each, for excerpts.
struct Sources<'a> {
    root: &'a Path,
    files: RefCell<HashMap<String, Option<Rc<Source>>>>,
}

impl Sources<'_> {
    fn file(&self, path: &str) -> Option<Rc<Source>> {
        if let Some(cached) = self.files.borrow().get(path) {
            return cached.clone();
        }
        let file = self.root.join(path);
        let read = std::fs::metadata(&file)
            .ok()
            .filter(|m| m.is_file() && m.len() <= MAX_FILE)
            .and_then(|_| std::fs::read(&file).ok())
            .map(|bytes| {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let lines = if path.ends_with(".py") {
                    djguard_python::Lines::python(&text)
                } else {
                    djguard_python::Lines::lf(&text)
                };
                Rc::new(Source { text, lines })
            });
        self.files
            .borrow_mut()
            .insert(path.to_string(), read.clone());
        read
    }

    /// The finding's lines (at most `MAX_RANGE` of them, marked) with `CONTEXT` lines before
    /// them and, when the range is shown whole, after them.
    fn excerpt(&self, f: &Finding) -> Vec<render::html::ExcerptLine> {
        let Location::File(span) = &f.location else {
            return Vec::new();
        };
        // A finding about something absent (a setting left at Django's default) is placed at
        // the module's first character: its first lines would be no evidence.
        if (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 1) {
            return Vec::new();
        }
        let Some(src) = self.file(&span.path) else {
            return Vec::new();
        };
        // A final newline ends the last line; it does not start an empty one worth showing.
        let ends_line = src.text.ends_with('\n') || src.text.ends_with('\r');
        let count = src.lines.count().saturating_sub(usize::from(ends_line));
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let line = span.line.max(1);
        let end = span.end_line.max(line);
        let last = end.min(line.saturating_add(MAX_RANGE - 1));
        let after = if last == end { CONTEXT } else { 0 };
        let first = line.saturating_sub(CONTEXT).max(1);
        let stop = last.saturating_add(after).min(count);
        (first..=stop)
            .map(|n| render::html::ExcerptLine {
                number: n,
                text: src
                    .lines
                    .line_text(&src.text, n)
                    .chars()
                    .take(MAX_LINE)
                    .collect(),
                hit: (line..=last).contains(&n),
            })
            .chain((last < end).then(|| render::html::ExcerptLine {
                number: 0,
                text: format!("… {} more line(s) of this finding", end - last),
                hit: false,
            }))
            .collect()
    }
}

/// The `check` report as one HTML page.
pub fn check_page(
    report: &Report,
    root: &Path,
    docs: &dyn Fn(&str) -> Option<&'static str>,
) -> String {
    let run = render::Run::new("check", &report.findings, &report.errors, docs);
    let sources = Sources {
        root,
        files: RefCell::new(HashMap::new()),
    };
    let excerpt = |f: &Finding| sources.excerpt(f);
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let page = render::html::Page {
        run: &run,
        title: format!("djguard check: {name}"),
        facts: check_facts(report, root),
        excerpt: &excerpt,
        sites: Vec::new(),
    };
    render::html::render(&page)
}

/// What the summary says about a `check` run.
fn check_facts(report: &Report, root: &Path) -> Vec<(String, String)> {
    let mut facts = vec![("Project".to_string(), root.display().to_string())];
    if !report.deps_only {
        facts.push((
            "Django".into(),
            format!(
                "{} ({})",
                report.django_version, report.django_version_source
            ),
        ));
        for s in &report.settings {
            let role = if s.deploy {
                "deployment"
            } else {
                "development"
            };
            facts.push((
                "Settings".into(),
                format!("{} ({}, {role}, {})", s.module, s.path, s.selected),
            ));
        }
        facts.push((
            "Read".into(),
            format!(
                "{} Python files, {} templates",
                report.files, report.templates.read
            ),
        ));
    }
    if let Some(d) = &report.dependencies {
        facts.push((
            "Dependencies".into(),
            format!(
                "{} package{} in {} ({} pinned)",
                d.packages,
                if d.packages == 1 { "" } else { "s" },
                d.files.join(", "),
                d.pinned
            ),
        ));
        for s in &d.sources {
            facts.push(("Advisories".into(), s.clone()));
        }
        for n in &d.notes {
            facts.push(("Note".into(), n.clone()));
        }
    }
    let hidden = [
        (report.suppressed, "suppressed by comments"),
        (report.silenced, "silenced by SILENCED_SYSTEM_CHECKS"),
        (report.below_confidence, "below --min-confidence"),
        (report.undecided.len(), "checks undecided"),
    ];
    for (n, what) in hidden {
        if n > 0 {
            facts.push(("Not shown".into(), format!("{n} {what}")));
        }
    }
    facts
}

/// The `scan` report as one HTML page: a card per site.
#[cfg(feature = "scan")]
pub fn scan_page(
    reports: &[djguard_scan::analyse::SiteReport],
    summary: &djguard_scan::run::Summary,
    docs: &dyn Fn(&str) -> Option<&'static str>,
) -> String {
    let findings = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| &f.finding));
    let run = render::Run::new("scan", findings, &[], docs);
    let no_excerpt = |_: &Finding| Vec::new();
    let facts = vec![
        (
            "Sites".to_string(),
            format!(
                "{} ({} graded, {} not reachable)",
                summary.sites, summary.graded, summary.not_reachable
            ),
        ),
        (
            "Requests".to_string(),
            format!(
                "{} in {:.1} s",
                summary.requests,
                summary.elapsed_ms as f64 / 1000.0
            ),
        ),
    ];
    let page = render::html::Page {
        run: &run,
        title: format!(
            "djguard scan: {} site{}",
            reports.len(),
            if reports.len() == 1 { "" } else { "s" }
        ),
        facts,
        excerpt: &no_excerpt,
        sites: reports.iter().map(site_card).collect(),
    };
    render::html::render(&page)
}

/// One site's card: its grade, the graded response's headers and cookies, the certificate.
#[cfg(feature = "scan")]
fn site_card(r: &djguard_scan::analyse::SiteReport) -> render::html::SiteCard<'_> {
    let mut facts = Vec::new();
    if let (Some(g), Some(s)) = (&r.observatory_grade, r.observatory_score) {
        facts.push(("Observatory-compatible".to_string(), format!("{g} ({s})")));
    }
    if let Some(c) = &r.capped_by {
        facts.push(("Grade capped by".into(), c.clone()));
    }
    if let Some(g) = &r.graded {
        let status = g.status.map(|s| format!(" → {s}")).unwrap_or_default();
        facts.push(("Graded response".into(), format!("{}{status}", g.request)));
    }
    if r.django.detected {
        facts.push(("Django".into(), r.django.signs.join("; ")));
    }
    for n in &r.notes {
        facts.push(("Note".into(), n.clone()));
    }
    let headers: Vec<(String, String)> = r
        .graded
        .as_ref()
        .map(|g| g.headers.clone())
        .unwrap_or_default();
    let mut certificate = Vec::new();
    if let Some(t) = &r.tls {
        certificate.push((
            "Protocol".to_string(),
            format!("{} {}", t.version, t.cipher),
        ));
        if let Some(e) = &t.verify_error {
            certificate.push(("Verification".into(), e.clone()));
        }
        if let Some(c) = &t.certificate {
            certificate.push(("Subject".into(), c.subject.clone()));
            certificate.push(("Issuer".into(), c.issuer.clone()));
            certificate.push(("Names".into(), c.names.join(", ")));
            certificate.push((
                "Valid".into(),
                format!(
                    "{} to {} ({} days left)",
                    c.not_before, c.not_after, c.days_left
                ),
            ));
            certificate.push(("Signature".into(), c.signature_algorithm.clone()));
        }
        certificate.push(("Chain".into(), format!("{} certificates", t.chain_length)));
    }
    render::html::SiteCard {
        url: r.url.clone(),
        grade: r.grade.clone(),
        score: r.score,
        facts,
        headers,
        certificate,
        problems: r.errors.clone(),
        findings: r.findings.iter().map(|f| &f.finding).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use djguard_core::finding::Confidence;

    static RULE: djguard_core::rule::RuleMeta = djguard_core::rule::RuleMeta {
        id: "DJG101",
        title: "t",
        severity: djguard_core::finding::Severity::High,
        cwe: None,
        groups: &[],
    };

    fn at(path: &str, line: u32, end_line: u32) -> Finding {
        let mut f = Finding::new(&RULE, path, "k", Confidence::High);
        if let Some(s) = f.span_mut() {
            (s.line, s.column, s.end_line, s.end_column) = (line, 5, end_line, 9);
        }
        f
    }

    fn shown(lines: &[render::html::ExcerptLine]) -> Vec<(u32, &str, bool)> {
        lines
            .iter()
            .map(|l| (l.number, l.text.as_str(), l.hit))
            .collect()
    }

    #[test]
    fn excerpts_count_lines_as_the_findings_do_and_mark_only_the_range() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A lone CR ends a Python line (as it does for the parser), not a template line.
        std::fs::write(dir.path().join("a.py"), "l1\rl2\nl3\r\nl4\nl5\nl6\n").expect("write");
        std::fs::write(dir.path().join("t.html"), "t1\rstill t1\nt2\n").expect("write");
        let body: String = (1..=30).map(|n| format!("x{n}\n")).collect();
        std::fs::write(dir.path().join("long.py"), body).expect("write");
        let src = Sources {
            root: dir.path(),
            files: RefCell::new(HashMap::new()),
        };
        assert_eq!(
            shown(&src.excerpt(&at("a.py", 4, 4))),
            [
                (2, "l2", false),
                (3, "l3", false),
                (4, "l4", true),
                (5, "l5", false),
                (6, "l6", false)
            ]
        );
        assert_eq!(
            shown(&src.excerpt(&at("t.html", 1, 1))),
            [(1, "t1\rstill t1", true), (2, "t2", false)]
        );
        // A long range: its first lines marked, no context after the cut, the rest counted.
        let long = src.excerpt(&at("long.py", 10, 25));
        assert_eq!(long.first().map(|l| (l.number, l.hit)), Some((8, false)));
        assert_eq!(long.iter().filter(|l| l.hit).count(), MAX_RANGE as usize);
        assert_eq!(
            long.last().map(|l| (l.number, l.text.as_str())),
            Some((0, "… 8 more line(s) of this finding"))
        );
        // Absent settings (placed at 1:1), missing files, lines past the end: nothing.
        assert!(src.excerpt(&at("a.py", 1, 1)).len() > 1);
        let mut absent = at("a.py", 1, 1);
        if let Some(s) = absent.span_mut() {
            s.column = 1;
            s.end_column = 1;
        }
        assert!(src.excerpt(&absent).is_empty());
        assert!(src.excerpt(&at("missing.py", 3, 3)).is_empty());
        assert_eq!(src.excerpt(&at("a.py", 400, 2)).len(), 0);
    }
}
