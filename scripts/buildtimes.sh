#!/usr/bin/env bash
# Build times of one checkout on this machine (issue 15's measurement), in a throwaway target
# folder: a clean release build, a clean `cargo test --no-run`, a no-op build, and incremental
# builds after touching one rule file and one renderer. Appends "seconds rc :: command" lines
# to OUT. Run it on a quiet machine, on each commit to compare, back to back.
#
#   scripts/buildtimes.sh CHECKOUT OUT [RULE_FILE] [RENDER_FILE]
set -u
cd "$1"; out=$2
rule=${3:-crates/djguard_static/src/rules/code/djg104.rs}
rend=${4:-crates/djguard_render/src/text.rs}
export CARGO_TARGET_DIR=${TMPDIR:-/tmp}/djguard_buildtimes_$$
rm -rf "$CARGO_TARGET_DIR"
t() { local s e rc; s=$(date +%s.%N); "$@" >/dev/null 2>&1; rc=$?; e=$(date +%s.%N); echo "$(echo "$e - $s" | bc) rc=$rc :: $*" >> "$out"; }
echo "== $(git rev-parse --short HEAD) $(date)" >> "$out"
t cargo build --release
rm -rf "$CARGO_TARGET_DIR"
t cargo test --no-run
t cargo build
touch "$rule"; t cargo build
touch "$rend"; t cargo build
rm -rf "$CARGO_TARGET_DIR"
