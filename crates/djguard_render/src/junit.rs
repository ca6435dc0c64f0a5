//! JUnit XML, as CI systems read test reports: one test suite per run, one test case per
//! rule and file (or site), and one failure per finding in it.

use std::collections::BTreeMap;
use std::fmt::Write;

use djguard_core::finding::{Finding, Location};

use crate::machine::Run;

/// The JUnit report of one run.
pub fn render(run: &Run) -> String {
    let mut cases: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for f in &run.findings {
        cases.entry((f.rule.id, f.path())).or_default().push(f);
    }
    let failures: usize = cases.values().map(Vec::len).sum();
    let suite = format!("djguard {}", run.command);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"djguard\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">",
        cases.len() + run.errors.len(),
        run.errors.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">",
        xml(&suite),
        cases.len() + run.errors.len(),
        run.errors.len()
    );
    for ((rule, path), findings) in &cases {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\">",
            xml(rule),
            xml(path)
        );
        for f in findings {
            let at = match &f.location {
                Location::File(s) => format!("{}:{}:{}", s.path, s.line, s.column),
                Location::Url { url } => url.clone(),
            };
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml(&f.message),
                f.severity.as_str(),
                xml(&format!(
                    "{at}: {} [{}, {} confidence]\nFix: {}",
                    f.message,
                    f.severity.as_str(),
                    f.confidence.as_str(),
                    f.fix
                ))
            );
        }
        out.push_str("    </testcase>\n");
    }
    for e in run.errors {
        let _ = writeln!(
            out,
            "    <testcase classname=\"djguard.read\" name=\"{}\">\n      <error message=\"{}\" type=\"unreadable\"/>\n    </testcase>",
            xml(&e.path),
            xml(&e.message)
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text as XML character data or an attribute value: the five special characters escaped,
/// and characters XML 1.0 cannot carry at all (most control characters) replaced by U+FFFD.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
