#!/usr/bin/env bash
# deps_vs_peers.sh - how fast is `djguard deps` on a ~300-package lock, with its local
# advisory cache and with --online, next to pip-audit and uv audit, against the same advisory
# data, and do they find the same vulnerabilities? Everything is local: a synthetic OSV PyPI
# export (~20,000 records) and a small OSV API are served on 127.0.0.1.
#
# Usage:  bash bench/deps_vs_peers.sh
#         RUNS=10 SKIP_BUILD=1 bash bench/deps_vs_peers.sh
# Env:    RUNS=5          timed runs per command (medians are reported), after WARMUP=1
#         UPDATE_RUNS=3   timed `djguard db update` runs, each into an empty cache (no warm-up)
#         DJGUARD=path    binary to time; otherwise `cargo build --release -p djguard`
#         SKIP_BUILD=1    time target/release/djguard as it is
#         BUILD_TRIES=3   attempts at the build (someone may be editing the Rust code), 60 s apart
#         REBUILD_DB=1    rebuild the synthetic database even if it is up to date
#         UPGRADE=1       pip install --upgrade the peer tools (default: install only if missing)
#         PIP_AUDIT=1 UV=1   0 leaves that peer out
#         OUT=.cache/bench-deps   PYTHON=python3
# Needs:  python3 (>= 3.11: tomllib) with venv; cargo unless DJGUARD/SKIP_BUILD; network only
#         to PyPI through pip, once, for the venv (pip-audit, uv, packaging, pyyaml).
# Writes: $OUT/venv, $OUT/all.zip + expected.json (the database and what should be found),
#         $OUT/djguard-bin (the binary timed), $OUT/raw/ (every tool's output of its first
#         run, stderr, DJGUARD_TIMINGS), $OUT/results.json, $OUT/report.md.
set -euo pipefail
# Benchmarks reach no outside host: no first-run advisory download.
export DJGUARD_OFFLINE=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=${OUT:-$ROOT/.cache/bench-deps}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
UPDATE_RUNS=${UPDATE_RUNS:-3}
BUILD_TRIES=${BUILD_TRIES:-3}
PYTHON=${PYTHON:-python3}
VENV=$OUT/venv

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'deps_vs_peers: %s\n' "$*" >&2; exit 1; }

for n in RUNS WARMUP UPDATE_RUNS BUILD_TRIES; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, not '${!n}'"
done
[ "$RUNS" -ge 1 ] && [ "$UPDATE_RUNS" -ge 1 ] || die "RUNS and UPDATE_RUNS must be >= 1"
mkdir -p "$OUT"

# 1. The binary.
if [ -n "${DJGUARD:-}" ]; then
  [ -x "$DJGUARD" ] || die "DJGUARD=$DJGUARD is not an executable"
  BIN=$DJGUARD
else
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    try=1
    until (cd "$ROOT" && cargo build --release -p djguard); do
      [ "$try" -lt "$BUILD_TRIES" ] || die "cargo build failed $try times"
      say "build failed (work in progress elsewhere?); retrying in 60 s"
      sleep 60
      try=$((try + 1))
    done
  fi
  BIN=$ROOT/target/release/djguard
fi
# A copy, so that a rebuild during the run cannot swap the binary being timed.
cp "$BIN" "$OUT/djguard-bin.part" && mv "$OUT/djguard-bin.part" "$OUT/djguard-bin"
say "timing $("$OUT/djguard-bin" --version) ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'), uncommitted changes may be in it)"

# 2. The venv: the peers, and packaging + pyyaml for the database builder and the server.
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
want=(packaging pyyaml)
[ "${PIP_AUDIT:-1}" = 1 ] && want+=(pip-audit)
[ "${UV:-1}" = 1 ] && want+=(uv)
missing=()
for p in "${want[@]}"; do
  "$VENV/bin/python" -m pip show -q "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${UPGRADE:-0}" = 1 ]; then
  "$VENV/bin/python" -m pip install -q --upgrade "${want[@]}"
elif [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from PyPI"
  "$VENV/bin/python" -m pip install -q "${missing[@]}"
fi

# 3. The database (deterministic: same inputs, same zip).
stale=0
[ -f "$OUT/all.zip" ] && [ -f "$OUT/expected.json" ] || stale=1
if [ "$stale" = 0 ]; then
  for f in "$BENCH/deps_osv.py" "$ROOT/bench/deps/requirements.txt" "$ROOT/bench/deps/uv.lock" \
           "$ROOT"/crates/djguard/tests/fixtures/deps/pypa-subset/vulns; do
    [ "$f" -nt "$OUT/expected.json" ] && stale=1
  done
fi
if [ "$stale" = 1 ] || [ "${REBUILD_DB:-0}" = 1 ]; then
  say "building the synthetic OSV database"
  "$VENV/bin/python" "$BENCH/deps_osv.py" build --out "$OUT"
fi

# 4. Serve, time, compare, report.
flags=()
[ "${PIP_AUDIT:-1}" = 1 ] || flags+=(--no-pip-audit)
[ "${UV:-1}" = 1 ] || flags+=(--no-uv)
"$VENV/bin/python" "$BENCH/deps_bench.py" --djguard "$OUT/djguard-bin" --venv "$VENV" \
  --out "$OUT" --runs "$RUNS" --warmup "$WARMUP" --update-runs "$UPDATE_RUNS" \
  ${flags[@]+"${flags[@]}"}
