//! The code audit: the project index, the taint engine and the `DJG1xx` rules, turned into
//! findings. Runs after parsing, over every Python file of the scan.

pub mod ids;
pub mod index;
pub mod tags;
pub mod taint;

use crate::code::ids::FileId;
use crate::finding::{Finding, FlowStep};
use crate::project::Project;
use crate::python::TextRange;
use crate::rules::RuleMeta;
use crate::rules::code::{Hit, PATTERN_RULES, TAINT_RULES};

use index::Index;

/// A key of a template's render context and what the code audit knows of its value.
#[derive(Clone, Debug)]
pub struct TemplateContext {
    /// The template name as the view gives it (`shop/results.html`).
    pub template: String,
    pub key: String,
    /// The request source the value carries, as `request.GET['q'] (shop/views.py:8)`.
    pub source: Option<String>,
    /// The source is data a template passes in (an inclusion tag's argument): maybe a user's.
    pub weak: bool,
    pub konst: bool,
    /// Escaped HTML (`format_html`, `escape()`): harmless to mark safe.
    pub escaped: bool,
    /// As a URL it stays on a known origin (`/path?...`, `request.path`).
    pub anchored: bool,
}

/// Findings of the code rules, and the render contexts the template rules link to.
#[derive(Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub contexts: Vec<TemplateContext>,
}

/// Run the enabled code rules over the project; with `want_contexts`, run the taint engine
/// anyway to learn what views put into template contexts.
pub fn run(project: &Project, enabled: &dyn Fn(&RuleMeta) -> bool, want_contexts: bool) -> Outcome {
    let any_taint = TAINT_RULES.iter().any(|r| enabled(&r.meta));
    let patterns: Vec<_> = PATTERN_RULES.iter().filter(|r| enabled(&r.meta)).collect();
    if !any_taint && !want_contexts && patterns.is_empty() {
        return Outcome::default();
    }
    let timings = std::env::var_os("DJGUARD_TIMINGS").is_some();
    let mut clock = std::time::Instant::now();
    let mut lap = |what: &str| {
        if timings {
            eprintln!(
                "timing: {what} {:.1} ms",
                clock.elapsed().as_secs_f64() * 1e3
            );
            clock = std::time::Instant::now();
        }
    };
    let ix = Index::new(project);
    lap("index");
    let mut findings = Vec::new();
    let mut contexts = Vec::new();
    if any_taint || want_contexts {
        let (events, vars) = taint::Engine::new(&ix).run();
        for e in events {
            if !enabled(e.sink.rule) {
                continue;
            }
            findings.push(from_event(&ix, &e));
        }
        contexts = vars;
        lap("taint");
    }
    for rule in patterns {
        let mut hits = Vec::new();
        (rule.check)(&ix, &mut hits);
        for h in hits {
            findings.push(from_hit(&ix, &rule.meta, h));
        }
        lap(rule.meta.id);
    }
    // Test code does not run in production; its fixtures reflect input on purpose.
    findings.retain(|f| !crate::rules::code::support::is_test_file(f.path()));
    Outcome { findings, contexts }
}

/// A finding placed at a range of an indexed file.
fn placed(ix: &Index, f: Finding, file: FileId, range: TextRange) -> Finding {
    crate::rules::place_in_python(f, ix.files[file].parsed, range)
}

fn at(ix: &Index, file: FileId, range: TextRange) -> String {
    format!("{}:{}", ix.rel(file), ix.line(file, range))
}

fn from_event(ix: &Index, e: &taint::Event) -> Finding {
    let rule = e.sink.rule;
    let fix = crate::rules::code::taint_rule(rule.id).map_or("", |r| r.fix);
    let func = e
        .sink
        .func
        .map_or_else(|| "<module>".to_string(), |f| ix.funcs[f].qualname.clone());
    let (message, flow, key) = match &e.flow {
        Some(flow) if !flow.steps.is_empty() => {
            let first = &flow.steps[0];
            let middle = flow
                .steps
                .get(1..flow.steps.len().saturating_sub(1))
                .unwrap_or(&[]);
            let via: Vec<String> = middle
                .iter()
                .filter(|s| !s.text.starts_with("parameter `"))
                .map(|s| format!("{} ({})", s.text, at(ix, s.file, s.range)))
                .collect();
            let message = format!(
                "{} ({}) reaches {} ({}){}.",
                first.text,
                at(ix, first.file, first.range),
                e.sink.name,
                at(ix, e.sink.file, e.sink.range),
                if via.is_empty() {
                    String::new()
                } else {
                    format!(" via {}", via.join(", "))
                }
            );
            let steps = flow
                .steps
                .iter()
                .map(|s| {
                    let p = ix.files[s.file].parsed.map(|p| p.position(s.range.start()));
                    FlowStep {
                        path: ix.rel(s.file).to_string(),
                        line: p.map_or(1, |p| p.line),
                        column: p.map_or(1, |p| p.column),
                        description: s.text.clone(),
                    }
                })
                .collect();
            (
                message,
                steps,
                format!("{func}:{}:{}", e.sink.name, first.text),
            )
        }
        _ => {
            let message = if e.always {
                format!("{} is given {}.", e.sink.name, e.what)
            } else {
                format!(
                    "{} is given {}; djguard traced no request data to it, so check where it comes from.",
                    e.sink.name, e.what
                )
            };
            (message, Vec::new(), format!("{func}:{}", e.sink.name))
        }
    };
    let f = Finding {
        message,
        fix: fix.to_string(),
        flow,
        ..Finding::new(rule, ix.rel(e.sink.file), &key, e.confidence)
    };
    placed(ix, f, e.sink.file, e.sink.range)
}

fn from_hit(ix: &Index, meta: &'static RuleMeta, h: Hit) -> Finding {
    let f = Finding {
        message: h.message,
        fix: h.fix,
        ..Finding::new(meta, ix.rel(h.at.file), &h.key, h.confidence)
    };
    placed(ix, f, h.at.file, h.at.range)
}
