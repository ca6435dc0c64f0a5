//! Arbitrary bytes as every dependency file format (requirements text with includes, each
//! lock file, pyproject, Pipfile), as Poetry constraints and PEP 508 requirements, and as an
//! OSV advisory (JSON and YAML): parsing, range evaluation, alias merging and the whole audit
//! of what was read against what was read must finish without panicking.
#![no_main]

use std::path::Path;

use djguard::deps::audit::{DepsOptions, DepsSummary, audit};
use djguard::deps::django_data::Calendar;
use djguard::deps::osv::{self, Database};
use djguard::deps::{FileKind, Inventory, lockfiles, pep, requirements};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = Path::new("/nonexistent");
    let mut inv = Inventory::default();
    // Requirements, with every include answered by the same text one level down.
    let mut include = |_: &str, kind: FileKind, inv: &mut Inventory, _: u32| {
        let mut none = |_: &str, _: FileKind, _: &mut Inventory, _: u32| {};
        requirements::read_text("inc.txt", &text, dir, kind, 1, inv, &mut none);
    };
    requirements::read_text("requirements.txt", &text, dir, FileKind::Requirements, 0, &mut inv, &mut include);
    for d in &inv.dependencies {
        assert!(d.line >= 1);
    }
    let parsers: [fn(&str, &str) -> _; 6] = [
        lockfiles::poetry_lock,
        lockfiles::pipfile_lock,
        lockfiles::pipfile,
        lockfiles::pdm_lock,
        lockfiles::uv_lock,
        lockfiles::pylock,
    ];
    for parse in parsers {
        if let Ok((deps, errors)) = parse("lock", &text) {
            inv.dependencies.extend(deps);
            inv.errors.extend(errors);
        }
    }
    if let Ok((deps, _)) = lockfiles::pyproject("pyproject.toml", &text, dir) {
        inv.dependencies.extend(deps);
    }
    let _ = lockfiles::poetry_constraint(&text);
    let _ = pep::parse_requirement(&text, dir);
    let _ = pep::parse_specifiers(&text);

    // The same bytes as advisories; evaluate them for every version the inventory names.
    let mut db = Database::default();
    for name in ["a.json", "a.yaml"] {
        if let Ok(records) = osv::parse_document(name, data) {
            for r in records {
                if let Some(a) = osv::convert(r, "fuzz", &mut Vec::new()) {
                    db.add(a);
                }
            }
        }
    }
    let mut opts = DepsOptions::new();
    opts.today = "2026-11-21".into();
    let calendar = Calendar::embedded();
    let mut summary = DepsSummary::default();
    let findings = audit(&inv.dependencies, &db, &calendar, &opts, &|_| true, &mut summary);
    for f in &findings {
        assert!(f.line() >= 1);
    }
});
