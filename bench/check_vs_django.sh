#!/usr/bin/env bash
# check_vs_django.sh - time `djguard check` against Django's own `manage.py check --deploy`
# on the example project (examples/mysite), with the same timing helper (bench/timeit.py).
#
# Usage:  bash bench/check_vs_django.sh
# Env:    RUNS=10        timed runs per command (after WARMUP untimed runs)
#         WARMUP=1
#         SKIP_BUILD=1   do not run `cargo build --release -p djguard` first
#         DJGUARD=path   binary to time (default: target/release/djguard)
#         PYTHON=python3 interpreter used to create the venv
# Needs:  cargo, python3 (>= 3.10) with venv + pip; PyPI access only if the venv is missing.
# Writes: .cache/bench-venv/ (the venv), .cache/bench-out/*.json (raw timings).
set -euo pipefail
# Benchmarks reach no outside host: no first-run advisory download.
export DJGUARD_OFFLINE=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXAMPLE=$ROOT/examples/mysite
VENV=$ROOT/.cache/bench-venv
OUT=$ROOT/.cache/bench-out
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-1}
DJGUARD=${DJGUARD:-$ROOT/target/release/djguard}
PYTHON=${PYTHON:-python3}
SETTINGS=mysite.settings.production
# Django's own modules are byte-compiled by pip at install time and are read from
# site-packages' __pycache__; the example's ~15 small modules are compiled on every run
# (measured: no difference beyond noise) so that no __pycache__ lands in examples/.
# PYTHONPYCACHEPREFIX must stay unset: with it, Python ignores the precompiled site-packages
# bytecode and the Django side becomes ~5x slower (1.4 s instead of 0.3 s on our machine).
export PYTHONDONTWRITEBYTECODE=1
unset PYTHONPYCACHEPREFIX || true
unset DJANGO_SETTINGS_MODULE DJANGO_DEBUG || true

say() { printf '== %s\n' "$*"; }

build_djguard() {
  if [ "${SKIP_BUILD:-0}" = 1 ]; then say "skipping cargo build (SKIP_BUILD=1)"; return; fi
  say "cargo build --release -p djguard"
  (cd "$ROOT" && cargo build --release -p djguard)
}

ensure_venv() {
  local pin want have
  pin=$(grep -E '^[Dd]jango==' "$EXAMPLE/requirements.txt" | head -1)
  want=${pin#*==}
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  have=$("$VENV/bin/python" -c 'import django; print(django.get_version())' 2>/dev/null || true)
  if [ "$have" != "$want" ]; then
    say "installing $pin into $VENV (found: ${have:-none})"
    "$VENV/bin/pip" install -q -r "$EXAMPLE/requirements.txt"
  fi
  say "Django $("$VENV/bin/python" -c 'import django; print(django.get_version())'), $("$VENV/bin/python" --version)"
}

median_of() {  # median_of FILE -> median wall seconds
  "$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_s"]["median"])' "$1"
}

main() {
  build_djguard
  ensure_venv
  mkdir -p "$OUT"
  [ -x "$DJGUARD" ] || { echo "no djguard binary at $DJGUARD" >&2; exit 2; }

  # Exit 1 means "findings" for djguard and "errors reported" for Django: both are normal here.
  say "timing djguard ($RUNS runs)"
  "$VENV/bin/python" "$ROOT/bench/timeit.py" -n "$RUNS" -w "$WARMUP" --ok 0,1 --cwd "$ROOT" \
    --label "djguard check" --json "$OUT/djguard.json" \
    -- "$DJGUARD" check examples/mysite

  say "timing Django check --deploy ($RUNS runs)"
  "$VENV/bin/python" "$ROOT/bench/timeit.py" -n "$RUNS" -w "$WARMUP" --ok 0,1 --cwd "$EXAMPLE" \
    --label "manage.py check --deploy" --json "$OUT/django.json" \
    -- "$VENV/bin/python" manage.py check --deploy --settings "$SETTINGS"

  local dj dg
  dg=$(median_of "$OUT/djguard.json")
  dj=$(median_of "$OUT/django.json")
  say "summary (median wall time)"
  "$VENV/bin/python" - "$dg" "$dj" <<'PY'
import sys
dg, dj = float(sys.argv[1]), float(sys.argv[2])
print(f"  djguard check examples/mysite            {dg * 1000:8.1f} ms")
print(f"  manage.py check --deploy (Django)        {dj * 1000:8.1f} ms")
print(f"  ratio Django / djguard                   {dj / dg:8.1f}x" if dg > 0 else "  ratio: n/a")
PY

  # Informational: does djguard report the same security.* IDs as Django on this project?
  say "security.* parity on the example (informational)"
  local expected="$EXAMPLE/EXPECTED_DEPLOY_CHECK.txt"
  (cd "$ROOT" && "$DJGUARD" check examples/mysite --select django --format json 2>/dev/null || true) \
    | "$VENV/bin/python" -c '
import json, sys
expected = {l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")}
try:
    doc = json.load(sys.stdin)
    got = {f["rule"] for f in doc.get("findings", []) if str(f.get("rule", "")).startswith("security.")}
except Exception as exc:
    print(f"  could not read djguard JSON output: {exc}")
    sys.exit(0)
print("  match" if got == expected else "  DIFFERENT")
if expected - got: print("  missing:", " ".join(sorted(expected - got)))
if got - expected: print("  extra:  ", " ".join(sorted(got - expected)))
' "$expected"
}

main "$@"
