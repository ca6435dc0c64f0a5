#!/usr/bin/env bash
# code_vs_peers.sh - how fast is djguard's code audit next to the static peers Ruff (S and DJ
# rules) and Bandit, on real Django code bases from PyPI? One run fetches what is missing,
# times every tool on every project, on the whole corpus and on four copies of it, and writes
# a Markdown table.
#
# Usage:  bash bench/code_vs_peers.sh
#         PROJECTS=oscar bash bench/code_vs_peers.sh                 # quick (8 MB download)
#         BANDIT=0 bash bench/code_vs_peers.sh                       # Ruff and djguard only
# Env:    PROJECTS="django wagtail oscar pretix sentry"   subset (names as in corpus.sh)
#         RUNS=3          timed runs of Ruff and djguard, after WARMUP untimed ones
#         WARMUP=1
#         BANDIT=1        0: leave Bandit out (it needs minutes on django and sentry)
#         BANDIT_RUNS=1   timed Bandit runs; BANDIT_WARMUP=0 untimed ones before them (the
#                         tree is already in the page cache from the Ruff and djguard runs)
#         SCALE=1         0: skip the whole-corpus (x1) and four-copies (x4) trees
#         SLOWEST=1       0: skip timing djguard on every file alone (one process per file)
#         DJGUARD=path    binary to time; without it `cargo build --release -p djguard` runs
#         TIMER=auto      gnu (/usr/bin/time -v) or python (bench/runstats.py); auto: gnu when
#                         /usr/bin/time is GNU time
#         CORPUS=.cache/bench-corpus   PYTHON=python3
# Needs:  bash 4, python3 (>= 3.9) with venv + pip, cargo unless DJGUARD is set; network only
#         to PyPI (through pip, for the corpus and the peer tools, and only when missing).
# Writes: everything under $CORPUS: src/ (the code bases, via corpus.sh), x4/copy{1..4}/
#         (hard links), out/ (raw runs, out/djguard-bin: the binary timed), results.md.
set -euo pipefail
# Benchmarks reach no outside host: no first-run advisory download.
export DJGUARD_OFFLINE=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
CORPUS=${CORPUS:-$ROOT/.cache/bench-corpus}
PROJECTS=${PROJECTS:-"django wagtail oscar pretix sentry"}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
BANDIT=${BANDIT:-1}
BANDIT_RUNS=${BANDIT_RUNS:-1}
BANDIT_WARMUP=${BANDIT_WARMUP:-0}
SCALE=${SCALE:-1}
SLOWEST=${SLOWEST:-1}
TIMER=${TIMER:-auto}
PYTHON=${PYTHON:-python3}
VENV=$CORPUS/venv
SRC=$CORPUS/src
OUT=$CORPUS/out
X4=$CORPUS/x4
RESULTS=$CORPUS/results.md
export CORPUS PROJECTS PYTHON

# Same versions as corpus.sh (directory names there are NAME-VERSION).
declare -A VER=([django]=5.2.19 [wagtail]=8.0.1 [oscar]=4.2.1 [pretix]=2026.8.0 [sentry]=23.7.1)

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'code_vs_peers: %s\n' "$*" >&2; exit 1; }

check_settings() {
  local p n
  for p in $PROJECTS; do
    [ -n "${VER[$p]:-}" ] || die "unknown project '$p' (known: ${!VER[*]})"
  done
  for n in RUNS WARMUP BANDIT_RUNS BANDIT_WARMUP; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, not '${!n}'"
  done
  if [ "$RUNS" -lt 1 ] || [ "$BANDIT_RUNS" -lt 1 ]; then die "RUNS and BANDIT_RUNS must be at least 1"; fi
  case $TIMER in
    auto) if /usr/bin/time --version 2>&1 | grep -q 'GNU'; then TIMER=gnu; else TIMER=python; fi ;;
    gnu) /usr/bin/time --version 2>&1 | grep -q 'GNU' || die "TIMER=gnu but /usr/bin/time is not GNU time" ;;
    python) ;;
    *) die "TIMER must be auto, gnu or python" ;;
  esac
}

# The binary is copied into out/ so that a rebuild elsewhere cannot swap it mid-run.
prepare_djguard() {
  local src=${DJGUARD:-}
  # Read the revision before building, so that it names the tree that gets built.
  GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
  git -C "$ROOT" diff --quiet HEAD -- crates Cargo.toml Cargo.lock 2>/dev/null \
    || GIT_REV="$GIT_REV + uncommitted changes"
  if [ -z "$src" ]; then
    say "cargo build --release -p djguard"
    (cd "$ROOT" && cargo build --release -p djguard)
    src=$ROOT/target/release/djguard
  fi
  [ -x "$src" ] || die "no djguard binary at $src"
  mkdir -p "$OUT"
  [ "$src" -ef "$OUT/djguard-bin" ] || cp -f "$src" "$OUT/djguard-bin"
  BIN=$OUT/djguard-bin
  say "timing $("$BIN" --version) (copied from $src)"
}

prepare_corpus() {
  say "corpus and peer tools (bench/corpus.sh fetch count tools)"
  QUIET=1 bash "$BENCH/corpus.sh" fetch count tools >&2
  RUFF=$VENV/bin/ruff
  BANDIT_BIN=$VENV/bin/bandit
}

tree_of() { echo "$SRC/$1-${VER[$1]}"; }

# accept_exit TAG CODE STDERR_FILE: 0 and 1 mean "ran" (Bandit and djguard exit 1 when they
# report something); anything else stops the benchmark with the tool's own message.
accept_exit() {
  case $2 in 0 | 1) return 0 ;; esac
  printf 'code_vs_peers: %s exited with %s; its stderr ends with:\n' "$1" "$2" >&2
  tail -n 20 "$3" >&2 || true
  exit 1
}

# measure TAG RUNS WARMUP CWD WARM_STDOUT -- CMD ...
# Runs CMD in CWD, WARMUP times untimed (stdout to WARM_STDOUT) then RUNS times timed (stdout to
# /dev/null); writes one line "wall user sys maxrss_kib exit" per timed run to $OUT/TAG.runs.
measure() {
  local tag=$1 runs=$2 warm=$3 cwd=$4 warm_out=$5 i rc
  shift 6
  local err=$OUT/raw/$tag.stderr line wall user sys rss
  mkdir -p "$OUT/raw"
  : > "$OUT/$tag.runs"
  for ((i = 1; i <= warm; i++)); do
    rc=0
    (cd "$cwd" && exec "$@") > "$warm_out" 2> "$err" || rc=$?
    accept_exit "$tag (warm-up)" "$rc" "$err"
  done
  for ((i = 1; i <= runs; i++)); do
    if [ "$TIMER" = gnu ]; then
      rc=0
      (cd "$cwd" && exec /usr/bin/time -v -o "$OUT/raw/$tag.$i.time" "$@") > /dev/null 2> "$err" || rc=$?
      line=$("$PYTHON" "$BENCH/runstats.py" gnu "$OUT/raw/$tag.$i.time")
    else
      line=$("$PYTHON" "$BENCH/runstats.py" run --cwd "$cwd" --stderr "$err" -- "$@")
    fi
    rc=${line##* }
    accept_exit "$tag" "$rc" "$err"
    echo "$line" >> "$OUT/$tag.runs"
    read -r wall user sys rss _ <<< "$line"
    printf '   %-18s run %d/%d: wall %s s, user %s s, sys %s s, peak %s KiB\n' \
      "$tag" "$i" "$runs" "$wall" "$user" "$sys" "$rss" >&2
  done
}

# time_tree TAG DIR [no-bandit]: the three tools on one tree, each from inside it.
time_tree() {
  local tag=$1 dir=$2 bandit=${3:-$BANDIT}
  say "$tag: $dir"
  measure "${tag}__ruff" "$RUNS" "$WARMUP" "$dir" /dev/null -- \
    "$RUFF" check --select S,DJ --no-cache --exit-zero -q .
  measure "${tag}__djguard" "$RUNS" "$WARMUP" "$dir" "$OUT/${tag}__djguard.json" -- \
    "$BIN" check "$dir" --no-config --format json
  if [ "$bandit" = 1 ]; then
    measure "${tag}__bandit" "$BANDIT_RUNS" "$BANDIT_WARMUP" "$dir" /dev/null -- \
      "$BANDIT_BIN" -r . -q -f json -o /dev/null
  else
    rm -f "$OUT/${tag}__bandit.runs"
  fi
}

# x4/copy1 .. copy4 each hold every selected project (hard links: no extra space, and no tool
# here writes into the tree). Rebuilt when the project list changes.
build_x4() {
  local want have="" c p
  want="$(for p in $PROJECTS; do basename "$(tree_of "$p")"; done | sort | tr '\n' ' ')"
  [ -f "$X4/.projects" ] && have=$(cat "$X4/.projects")
  if [ "$want" = "$have" ] && [ -d "$X4/copy4" ]; then return; fi
  say "building $X4 (4 hard-linked copies of: $want)"
  rm -rf "$X4"
  for c in 1 2 3 4; do
    mkdir -p "$X4/copy$c"
    for p in $PROJECTS; do cp -al "$(tree_of "$p")" "$X4/copy$c/"; done
  done
  printf '%s' "$want" > "$X4/.projects"
}

write_meta() {
  local cpu sum p
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
  sum=$(sha256sum "$BIN" | cut -c1-12)
  {
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine=$(nproc) CPUs${cpu:+ ($cpu)}, $(uname -sr), $("$PYTHON" --version 2>&1)"
    if [ -n "${DJGUARD:-}" ]; then
      echo "djguard=$("$BIN" --version), DJGUARD=$DJGUARD (sha256 $sum; repository at $GIT_REV)"
    else
      echo "djguard=$("$BIN" --version) built from $GIT_REV (sha256 $sum)"
    fi
    echo "ruff=$("$RUFF" --version)"
    if [ "$BANDIT" = 1 ]; then echo "bandit=$("$BANDIT_BIN" --version 2>&1 | head -1)"; fi
    if [ "$TIMER" = gnu ]; then echo "timer=GNU time -v"; else echo "timer=python wait4 (bench/runstats.py)"; fi
    echo "runs=$RUNS"; echo "warmup=$WARMUP"
    echo "bandit_runs=$BANDIT_RUNS"; echo "bandit_warmup=$BANDIT_WARMUP"
    for p in $PROJECTS; do echo "version_$p=${VER[$p]}"; done
  } > "$OUT/meta.env"
}

main() {
  local p roots=()
  check_settings
  prepare_djguard
  prepare_corpus
  # Results from an earlier run with other settings must not leak into this report.
  rm -rf "$OUT/raw"
  find "$OUT" -maxdepth 1 \( -name '*.runs' -o -name '*__djguard.json' -o -name slowest.json \) -delete
  write_meta
  say "timer: $TIMER; RUNS=$RUNS WARMUP=$WARMUP BANDIT=$BANDIT BANDIT_RUNS=$BANDIT_RUNS"
  for p in $PROJECTS; do time_tree "$p" "$(tree_of "$p")"; done
  if [ "$SCALE" = 1 ]; then
    build_x4
    time_tree x1 "$X4/copy1" 0
    time_tree x4 "$X4" 0
  fi
  if [ "$SLOWEST" = 1 ]; then
    for p in $PROJECTS; do roots+=("$(tree_of "$p")"); done
    say "djguard on every .py and .html file alone (slowest single file)"
    "$PYTHON" "$BENCH/runstats.py" per-file --bin "$BIN" --out "$OUT/slowest.json" \
      --top 5 --passes 2 --candidates 20 --repeat 5 "${roots[@]}"
  fi
  say "report ($RESULTS)"
  "$PYTHON" "$BENCH/runstats.py" report --out "$OUT" --counts "$CORPUS/counts.tsv" \
    --projects "$PROJECTS" --write "$RESULTS"
}

main "$@"
