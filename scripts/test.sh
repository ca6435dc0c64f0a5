#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script):
# formatting, clippy with warnings denied, every Rust test, the differential suites against the
# real Django, the environment libraries and the `packaging` library, the output formats
# against their validators, and the packaging (the tools come from PyPI and npm into .cache/
# on first run; npm itself from Debian when absent).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "== crate edges: the allowed dependencies between crates, lean crates without async/TLS"
python3 scripts/check_crate_edges.py
echo "== cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
echo "== cargo test"
cargo test --workspace
echo "== differential suite against the real Django"
cargo build -p djguard
python3 tests/differential/run.py --no-source
echo "== environment readers against django-environ, python-decouple, environs"
python3 tests/envlibs/run.py
echo "== output formats: SARIF (schema and Microsoft's multitool), JUnit (XSD), GitHub, GitLab, Markdown"
python3 tests/formats/run.py
echo "== packaging: the wheel in a fresh venv, the pre-commit hook with the real pre-commit"
python3 tests/packaging/run.py
echo "== OSV advisory evaluation against the packaging library"
python3 tests/deps/run.py
