//! SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF consumers read it: one run,
//! the rules that have results (name, short and full description, help from the rule's
//! documentation, CWE relationships into a CWE taxonomy, `security-severity` and tags), and
//! one result per finding with its region, `partialFingerprints`, and the flow of a taint
//! finding as a `codeFlow`. Live findings have no file: they carry the URL as a logical
//! location (GitHub code scanning shows only results with a file location).

use serde_json::{Value, json};

use djguard_core::finding::{Finding, Location, Severity};

use crate::machine::{Run, doc_summary};

/// The schema URI written into the document.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// GitHub code scanning reads at most this many results per run; the rest are dropped and a
/// notification says how many.
pub const MAX_RESULTS: usize = 25_000;

/// GitHub shows at most this many tags per rule.
const MAX_TAGS: usize = 20;

/// The SARIF document of one run.
pub fn render(run: &Run) -> String {
    let rules = run.rules();
    let index = |id: &str| rules.iter().position(|r| r.id == id);
    let mut cwes: Vec<u32> = rules.iter().filter_map(|r| r.cwe).collect();
    cwes.sort_unstable();
    cwes.dedup();

    let rule_objects: Vec<Value> = rules.iter().map(|r| rule(r, run)).collect();
    let results: Vec<Value> = run
        .findings
        .iter()
        .take(MAX_RESULTS)
        .map(|f| result(f, index(f.rule.id), run))
        .collect();
    let mut notifications: Vec<Value> = run
        .errors
        .iter()
        .map(|e| {
            let mut region = serde_json::Map::new();
            if let Some(l) = e.line {
                region.insert("startLine".into(), json!(l.max(1)));
            }
            if let Some(c) = e.column {
                region.insert("startColumn".into(), json!(c.max(1)));
            }
            let mut physical = json!({"artifactLocation": artifact(&run.file(&e.path))});
            if !region.is_empty() {
                physical["region"] = Value::Object(region);
            }
            json!({
                "level": "warning",
                "message": {"text": format!("{}: {}", e.path, e.message)},
                "locations": [{"physicalLocation": physical}],
            })
        })
        .collect();
    if run.findings.len() > MAX_RESULTS {
        notifications.push(json!({
            "level": "warning",
            "message": {"text": format!(
                "{} more findings are not in this file: GitHub code scanning reads at most {MAX_RESULTS} results per run.",
                run.findings.len() - MAX_RESULTS
            )},
        }));
    }

    let mut run_object = json!({
        "tool": {"driver": {
            "name": "djguard",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": crate::HOMEPAGE,
            "rules": rule_objects,
            "supportedTaxonomies": if cwes.is_empty() { json!([]) } else { json!([{"name": "CWE"}]) },
        }},
        "automationDetails": {"id": format!("djguard/{}/", run.command)},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": true,
            "toolExecutionNotifications": notifications,
        }],
    });
    if !cwes.is_empty() {
        run_object["taxonomies"] = json!([{
            "name": "CWE",
            "organization": "MITRE",
            "informationUri": "https://cwe.mitre.org/",
            "shortDescription": {"text": "The MITRE Common Weakness Enumeration"},
            "taxa": cwes.iter().map(|c| json!({
                "id": c.to_string(),
                "helpUri": format!("https://cwe.mitre.org/data/definitions/{c}.html"),
            })).collect::<Vec<_>>(),
        }]);
    }
    if let Some(root) = &run.root_uri {
        run_object["originalUriBaseIds"] = json!({"%SRCROOT%": {"uri": root}});
    }
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run_object],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity`: a CVSS-like score it maps back to critical (9.0 and above),
/// high (7.0-8.9), medium (4.0-6.9) and low (0.1-3.9).
fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

fn rule(r: &djguard_core::rule::RuleMeta, run: &Run) -> Value {
    let doc = (run.docs)(r.id);
    let full = doc
        .and_then(doc_summary)
        .unwrap_or_else(|| r.title.to_string());
    let mut tags: Vec<String> = vec!["security".into()];
    if let Some(c) = r.cwe {
        tags.push(format!("external/cwe/cwe-{c:03}"));
    }
    tags.extend(r.groups.iter().map(|g| g.to_string()));
    tags.truncate(MAX_TAGS);
    let mut properties = json!({"tags": tags});
    if let Some(s) = security_severity(r.severity) {
        properties["security-severity"] = json!(s);
    }
    let mut o = json!({
        "id": r.id,
        "name": pascal(r.title),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": properties,
    });
    if let Some(d) = doc {
        o["help"] = json!({"text": d, "markdown": d});
    }
    if let Some(c) = r.cwe {
        o["relationships"] = json!([{
            "target": {"id": c.to_string(), "toolComponent": {"name": "CWE"}},
            "kinds": ["superset"],
        }]);
    }
    o
}

/// A rule title as the one-word name SARIF viewers show (`Debug left on` → `DebugLeftOn`).
fn pascal(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference under `%SRCROOT%`.
fn artifact(path: &str) -> Value {
    json!({"uri": crate::uri_path(path), "uriBaseId": "%SRCROOT%"})
}

fn result(f: &Finding, rule_index: Option<usize>, run: &Run) -> Value {
    let mut o = json!({
        "ruleId": f.rule.id,
        "level": level(f.severity),
        "message": {"text": f.message},
        "partialFingerprints": {"djguardFingerprint/v1": f.fingerprint},
        "properties": {
            "severity": f.severity.as_str(),
            "confidence": f.confidence.as_str(),
            "fix": f.fix,
        },
    });
    if let Some(i) = rule_index {
        o["ruleIndex"] = json!(i);
    }
    match &f.location {
        Location::File(span) => {
            let mut region = json!({
                "startLine": span.line.max(1),
                "startColumn": span.column.max(1),
                "endLine": span.end_line.max(span.line).max(1),
                "endColumn": span.end_column.max(1),
            });
            if span.end_line == span.line && span.end_column <= span.column {
                // A zero-width location (a setting left at its default): SARIF wants the
                // end after the start, so it marks one character.
                region["endColumn"] = json!(span.column.max(1) + 1);
            }
            if !f.source_line.is_empty() {
                region["snippet"] = json!({"text": f.source_line});
            }
            o["locations"] = json!([{"physicalLocation": {
                "artifactLocation": artifact(&run.file(&span.path)),
                "region": region,
            }}]);
        }
        Location::Url { url } => {
            o["locations"] = json!([{"logicalLocations": [{
                "fullyQualifiedName": url,
                "kind": "resource",
            }]}]);
        }
    }
    if let Some(m) = &f.settings_module {
        o["properties"]["settingsModule"] = json!(m);
    }
    if !f.flow.is_empty() {
        let steps: Vec<Value> = f
            .flow
            .iter()
            .map(|s| {
                json!({"location": {
                    "physicalLocation": {
                        "artifactLocation": artifact(&run.file(&s.path)),
                        "region": {"startLine": s.line.max(1), "startColumn": s.column.max(1)},
                    },
                    "message": {"text": s.description},
                }})
            })
            .collect();
        o["codeFlows"] = json!([{"threadFlows": [{"locations": steps}]}]);
    }
    if let Some(p) = &f.package {
        o["properties"]["package"] = serde_json::to_value(p).unwrap_or(Value::Null);
    }
    if let Some(e) = &f.evidence {
        o["properties"]["evidence"] = serde_json::to_value(e).unwrap_or(Value::Null);
    }
    o
}
