//! Snapshot of every finding the code and template rules (`DJG1xx`, `DJG2xx`) report on their fixtures: location,
//! severity, confidence and message, so a change in what is found or how it is worded shows
//! up in review. Regenerate with `DJGUARD_UPDATE_SNAPSHOTS=1 cargo test --test code_snapshots`
//! and read the diff before committing it.

use std::fmt::Write;
use std::path::Path;

use assert_cmd::Command;

#[test]
fn code_rule_findings_match_the_snapshot() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("tests/fixtures/rules");
    let mut rules: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("DJG1") || n.starts_with("DJG2"))
        .collect();
    rules.sort();
    let mut snapshot = String::new();
    for rule in &rules {
        let mut dirs: Vec<_> = std::fs::read_dir(root.join(rule))
            .expect("rule dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let out = Command::cargo_bin("djguard")
                .expect("binary")
                .env("DJGUARD_OFFLINE", "1")
                .arg("check")
                .arg(&dir)
                .args([
                    "--select",
                    rule,
                    "--format",
                    "json",
                    "--no-config",
                    "--min-confidence",
                    "low",
                ])
                .output()
                .expect("run");
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
            let name = dir.file_name().expect("name").to_string_lossy();
            let _ = writeln!(snapshot, "## {rule}/{name}");
            for f in doc["findings"].as_array().expect("findings") {
                let _ = writeln!(
                    snapshot,
                    "{}:{}:{} {} {} {}: {}",
                    f["path"].as_str().unwrap_or(""),
                    f["line"],
                    f["column"],
                    f["rule"].as_str().unwrap_or(""),
                    f["severity"].as_str().unwrap_or(""),
                    f["confidence"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or("")
                );
            }
        }
    }
    let path = manifest.join("tests/snapshots/code_rules.txt");
    if std::env::var_os("DJGUARD_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &snapshot).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != snapshot {
        let diff: Vec<String> = expected
            .lines()
            .zip(snapshot.lines())
            .filter(|(a, b)| a != b)
            .take(10)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!(
            "code rule findings differ from tests/snapshots/code_rules.txt ({} vs {} lines); first differences:\n{}\nRegenerate with DJGUARD_UPDATE_SNAPSHOTS=1 if the change is intended.",
            expected.lines().count(),
            snapshot.lines().count(),
            diff.join("\n")
        );
    }
}
