//! Build-time helper of the crates that define rules: collects each rule module's `//!`
//! documentation into `$OUT_DIR/rule_docs.rs`, keyed by the id in its first heading
//! (`//! # security.W004: ...`), so the docs live beside the code and `djguard rule ID`
//! prints exactly them. Each rule crate's `build.rs` calls [`generate`] for its own
//! `src/rules` folder; the binary only assembles the crates' lists.
//!
//! It runs inside build scripts only: no dependency, no network, and it reads nothing but the
//! calling crate's rule folder.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Write `$OUT_DIR/rule_docs.rs` (a `&[(&str, &str)]` expression of id and documentation,
/// sorted by id) from the calling crate's `src/rules` folder, and tell cargo to rerun when
/// that folder changes. Build scripts only: it panics when cargo's variables are missing or
/// the output cannot be written, which fails the build with the message.
pub fn generate() {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules = PathBuf::from(manifest).join("src/rules");
    let docs = collect_dir(&rules);
    let out =
        Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_docs.rs");
    std::fs::write(&out, render(&docs)).expect("write rule_docs.rs");
}

/// The documentation of every rule module under `dir`, sorted by id.
pub fn collect_dir(dir: &Path) -> Vec<(String, String)> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut docs = Vec::new();
    walk(dir, &mut docs);
    docs.sort();
    docs
}

/// The Rust expression for a list of (id, documentation).
pub fn render(docs: &[(String, String)]) -> String {
    let mut out = String::from("&[\n");
    for (id, doc) in docs {
        let _ = writeln!(out, "    ({id:?}, {doc:?}),");
    }
    out.push_str("]\n");
    out
}

fn walk(dir: &Path, docs: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            walk(&path, docs);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Some(doc) = rule_doc(&text)
        {
            docs.push(doc);
        }
    }
}

/// A module's leading `//!` block, when its first line is a rule heading `# ID: title`.
pub fn rule_doc(text: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.strip_prefix("//! ")
                .or_else(|| l.strip_prefix("//!"))
                .unwrap_or("")
        })
        .collect();
    let heading = lines.first()?.strip_prefix("# ")?;
    let (id, _) = heading.split_once(':')?;
    Some((
        id.trim().to_string(),
        lines.join("\n").trim_end().to_string() + "\n",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_heading_gives_the_id_and_the_whole_block() {
        let text = "//! # DJG104: Raw SQL\n//!\n//! What it finds.\nuse x;\n//! not this\n";
        let (id, doc) = rule_doc(text).expect("a rule module");
        assert_eq!(id, "DJG104");
        assert_eq!(doc, "# DJG104: Raw SQL\n\nWhat it finds.\n");
    }

    #[test]
    fn modules_without_a_rule_heading_are_skipped() {
        assert!(rule_doc("//! Helpers for the code rules.\n").is_none());
        assert!(rule_doc("//! # Not a rule heading\n").is_none());
        assert!(rule_doc("fn main() {}\n").is_none());
    }

    #[test]
    fn the_list_is_a_rust_expression_with_escaped_text() {
        let out = render(&[("A1".into(), "say \"hi\"\n".into())]);
        assert_eq!(out, "&[\n    (\"A1\", \"say \\\"hi\\\"\\n\"),\n]\n");
    }
}
