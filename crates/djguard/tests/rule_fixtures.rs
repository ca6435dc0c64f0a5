//! Every djguard rule has fixtures: settings modules that must fire it (`fire_*.py`) and
//! look-alikes that must not (`pass_*.py`), under `tests/fixtures/rules/<ID>/`. A first line
//! `# env: KEY=VALUE ...` evaluates the fixture with that deployment environment. A fixture that
//! is a directory is checked as a whole project. A fire fixture named `..._low`, `..._medium`
//! or `..._high` must fire at exactly that confidence (its most confident finding).

use std::path::Path;

use assert_cmd::Command;

/// Whether the rule fires on the fixture, the highest confidence of its findings, and the
/// whole JSON report (for the failure message).
fn fires(rule: &str, file: &Path) -> (bool, Option<String>, String) {
    let mut cmd = Command::cargo_bin("djguard").expect("binary");
    // Dependency rules: a fixed date for the support calendar, no advisory cache.
    cmd.env("DJGUARD_TODAY", "2026-11-21")
        .env("DJGUARD_CACHE_DIR", file.join("no-such-cache"))
        .env("DJGUARD_OFFLINE", "1");
    if file.is_dir() {
        // A directory is a whole project (rules over files rather than settings values).
        cmd.arg("check").arg(file);
    } else {
        let text = std::fs::read_to_string(file).expect("fixture");
        cmd.arg("check")
            .arg(file.parent().expect("dir"))
            .arg("--settings")
            .arg(file);
        if let Some(env) = text.lines().next().and_then(|l| l.strip_prefix("# env:")) {
            for pair in env.split_whitespace() {
                cmd.args(["--env", pair]);
            }
        }
    }
    cmd.args([
        "--select",
        rule,
        "--format",
        "json",
        "--no-config",
        "--min-confidence",
        "low",
    ]);
    let out = cmd.output().expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let hits: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .filter_map(|f| f["confidence"].as_str())
        .collect();
    let best = ["high", "medium", "low"]
        .into_iter()
        .find(|c| hits.contains(c))
        .map(str::to_string);
    (!hits.is_empty(), best, doc.to_string())
}

#[test]
fn every_djg_rule_fires_on_its_fixtures_and_not_on_lookalikes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let out = Command::cargo_bin("djguard")
        .expect("binary")
        .args(["rules", "--format", "json"])
        .output()
        .expect("run");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in rules
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| id.starts_with("DJG"))
        // Live-site rules (`DJG4xx`) judge what a running site answers, not a project on disk:
        // `check` never emits them, and the scan's own tests cover them.
        .filter(|id| !id.starts_with("DJG4"))
    {
        let dir = root.join(rule);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{rule} has no fixtures in {}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let names: Vec<String> = files
            .iter()
            .filter_map(|f| f.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fire_"))
                && names.iter().any(|n| n.starts_with("pass_")),
            "{rule} needs fire_ and pass_ fixtures"
        );
        for (file, name) in files.iter().zip(&names) {
            let want = name.starts_with("fire_");
            let (got, best, doc) = fires(rule, file);
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{rule}/{name}: expected {}, got {}\n{doc}",
                    if want { "a finding" } else { "none" },
                    if got { "a finding" } else { "none" }
                ));
            }
            // `fire_..._low` / `_medium` / `_high`: the rule's most confident finding there
            // has exactly that confidence.
            let stem = name.trim_end_matches(".py");
            if let Some(level) = ["low", "medium", "high"]
                .into_iter()
                .find(|l| want && stem.ends_with(&format!("_{l}")))
                && best.as_deref() != Some(level)
            {
                failures.push(format!(
                    "{rule}/{name}: expected confidence {level}, got {best:?}\n{doc}"
                ));
            }
        }
    }
    assert!(checked > 0);
    // And the other way round: no fixture folder for a rule that is not registered.
    let known: Vec<&str> = rules
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for dir in std::fs::read_dir(&root).expect("fixtures").flatten() {
        let name = dir.file_name().to_string_lossy().into_owned();
        assert!(
            known.contains(&name.as_str()),
            "fixtures for {name}, which `djguard rules` does not list (not registered?)"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
