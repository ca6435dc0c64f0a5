#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script):
# formatting, clippy with warnings denied, every Rust test, the differential suites against the
# real Django, the environment libraries and the `packaging` library, the output formats
# against their validators, the HTML report in a real browser, and the packaging (the tools come from PyPI and npm into .cache/
# on first run; npm, chromium and chromium-driver from Debian when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
# No test reaches an outside host: djguard's first-run advisory download is off everywhere
# (the tests of that download unset this and name a loopback server).
export DJGUARD_OFFLINE=1

# Each stage prints its wall time, and the total is summed up at the end, so a slow CI run
# says where the time went.
stage_name=""
stage_start=$SECONDS
timings=""
stage() {
    if [ -n "$stage_name" ]; then
        timings+="$(printf '%5d s  %s' $((SECONDS - stage_start)) "$stage_name")"$'\n'
    fi
    stage_name="$1"
    stage_start=$SECONDS
    if [ -n "$1" ]; then echo "== $1"; fi
}

stage "cargo fmt --check"
cargo fmt --all -- --check
# The tests first: clippy after them reuses their build scripts and proc-macros (on a clean
# checkout, 441 s for clippy alone, 123 s after the test build).
stage "cargo test"
cargo test --workspace
stage "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
stage "crate edges: the allowed dependencies between crates, lean crates without async/TLS"
python3 scripts/check_crate_edges.py
stage "cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
stage "differential suite against the real Django"
cargo build -p djguard
python3 tests/differential/run.py --no-source
stage "environment readers against django-environ, python-decouple, environs"
python3 tests/envlibs/run.py
stage "output formats: SARIF (schema and Microsoft's multitool), JUnit (XSD), GitHub, GitLab, Markdown"
python3 tests/formats/run.py
stage "HTML report in headless Chromium (Debian's chromium and chromium-driver, Selenium)"
python3 tests/html/run.py
stage "packaging: the wheel in a fresh venv, the pre-commit hook with the real pre-commit"
python3 tests/packaging/run.py
stage "OSV advisory evaluation against the packaging library"
python3 tests/deps/run.py
stage ""
printf '\n== wall time per stage\n%s%5d s  total\n' "$timings" "$SECONDS"
