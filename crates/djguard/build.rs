//! Collects each rule module's `//!` documentation into `rule_docs.rs`, keyed by the id in its
//! first heading (`//! # security.W004: ...`), so the docs live beside the code and
//! `djguard rule ID` prints exactly them. Rules live with the engine that runs them, in the
//! `src/rules` folder of their crate; this binary assembles them all.

use std::fmt::Write;
use std::path::Path;

/// The crates that define rules (relative to this crate); the live rules only in a build with
/// the `scan` feature, which registers them.
const RULE_DIRS: &[&str] = &["../djguard_static/src/rules", "../djguard_deps/src/rules"];
const LIVE_RULE_DIR: &str = "../djguard_scan/src/rules";

fn main() {
    let mut docs: Vec<(String, String)> = Vec::new();
    let live = std::env::var_os("CARGO_FEATURE_SCAN").map(|_| LIVE_RULE_DIR);
    for rules in RULE_DIRS.iter().copied().chain(live) {
        println!("cargo:rerun-if-changed={rules}");
        collect(Path::new(rules), &mut docs);
    }
    docs.sort();
    let mut out = String::from("pub static RULE_DOCS: &[(&str, &str)] = &[\n");
    for (id, doc) in &docs {
        let _ = writeln!(out, "    ({id:?}, {doc:?}),");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_docs.rs");
    std::fs::write(dest, out).expect("write rule_docs.rs");
}

fn collect(dir: &Path, docs: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, docs);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let lines: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .or_else(|| l.strip_prefix("//!"))
                    .unwrap_or("")
            })
            .collect();
        let Some(first) = lines.first() else { continue };
        let Some(heading) = first.strip_prefix("# ") else {
            continue;
        };
        let Some((id, _)) = heading.split_once(':') else {
            continue;
        };
        docs.push((
            id.trim().to_string(),
            lines.join("\n").trim_end().to_string() + "\n",
        ));
    }
}
