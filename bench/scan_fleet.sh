#!/usr/bin/env bash
# scan_fleet.sh - how fast, and how heavy, is `djguard scan --from FILE` on a fleet of 500
# sites, at several --concurrency values, and how long would the peer scanners (DJ Checkup,
# MDN HTTP Observatory CLI) take on the same sites? Everything is on loopback: one nginx serves
# 500 virtual hosts, each on its own address 127.0.X.Y (Linux routes all of 127.0.0.0/8 to lo),
# so every site is a distinct host for djguard's per-host politeness. Nothing binds 0.0.0.0.
#
# Usage:  bash bench/scan_fleet.sh
#         RUNS=5 SKIP_BUILD=1 bash bench/scan_fleet.sh
#         PEER_SITES=500 bash bench/scan_fleet.sh        # the peers on every site (~25 min)
# Env:    SITES=500          virtual hosts (every 5th over TLS, every 100th dead; see scan_fleet.py)
#         TLS_EVERY=5        every Nth site over TLS (0: none)
#         RUNS=3             timed djguard runs per concurrency (medians), after WARMUP=1
#         CONCURRENCY="1 default 64"   values of --concurrency ("default" = no flag, i.e. 16)
#         DELAYS="0"         values of djguard's --delay-ms to time (e.g. "0 20": idle time per request
#                            standing in for network latency); DELAY_RUNS=1 runs each when not 0
#         PEER_SITES=50      sites (random sample, SEED=1) the peers are timed on; 0 = no peers
#         DJCHECKUP=1 OBSERVATORY=1    0 leaves that peer out
#         NGINX_WORKERS=1    nginx worker_processes
#         DJGUARD=path       binary to time; otherwise `cargo build --release -p djguard`
#         SKIP_BUILD=1       time target/release/djguard as it is
#         BUILD_TRIES=3      attempts at the build (someone may be editing the Rust code), 60 s apart
#         INSTALL_PEERS=1    install missing peers (djcheckup from PyPI, the Observatory from npm)
#         OUT=.cache/bench-scan   PYTHON=python3   TIMER=gnu|python
# Needs:  python3 (stdlib only), openssl, nginx (installed with apt-get as nginx-light when
#         missing and root, like tests/scan/sites.py), GNU time (apt-get install time when
#         missing and root; otherwise TIMER=python: wait4() rusage), node for the Observatory.
#         Network only to PyPI / npm, once, if a peer has to be installed.
# Writes: $OUT/fleet/ (nginx.conf, urls.txt, sites.json, tls/, access.log, raw/ with every
#         run's JSON and GNU time report), $OUT/fleet/report.md, $OUT/fleet/results.json.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=${OUT:-$ROOT/.cache/bench-scan}
SITES=${SITES:-500}
TLS_EVERY=${TLS_EVERY:-5}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
CONCURRENCY=${CONCURRENCY:-1 default 64}
PEER_SITES=${PEER_SITES:-50}
NGINX_WORKERS=${NGINX_WORKERS:-1}
BUILD_TRIES=${BUILD_TRIES:-3}
PYTHON=${PYTHON:-python3}
TIMER=${TIMER:-gnu}
PEERS_CACHE=$ROOT/.cache/scan-sites

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'scan_fleet: %s\n' "$*" >&2; exit 1; }

for n in SITES TLS_EVERY RUNS WARMUP PEER_SITES NGINX_WORKERS BUILD_TRIES; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, not '${!n}'"
done
[ "$RUNS" -ge 1 ] && [ "$SITES" -ge 1 ] || die "RUNS and SITES must be >= 1"
for d in ${DELAYS:-0}; do
  [[ $d =~ ^[0-9]+$ ]] || die "DELAYS: '$d' is not a whole number of milliseconds"
done
for c in $CONCURRENCY; do
  [[ $c =~ ^[0-9]+$ || $c = default ]] || die "CONCURRENCY: '$c' is neither a number nor 'default'"
done
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

# 2. nginx, openssl, GNU time.
command -v openssl >/dev/null || die "openssl is needed for the TLS share (or TLS_EVERY=0)"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "nginx missing: installing nginx-light (tests/scan/sites.py)"
  "$PYTHON" -c "import sys; sys.path.insert(0, '$ROOT/tests/scan'); from sites import ensure_nginx; print(ensure_nginx())" >&2 \
    || die "no nginx (apt-get install nginx-light)"
fi
if [ "$TIMER" = gnu ] && ! /usr/bin/time --version 2>&1 | grep -q GNU; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing GNU time (apt-get install time)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends time >/dev/null 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null 2>&1 && \
           DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends time >/dev/null 2>&1; } \
      || { say "no GNU time; using wait4() rusage"; TIMER=python; }
  else
    say "no GNU time; using wait4() rusage"; TIMER=python
  fi
fi

# 3. The peers, installed as tests/scan/peers/README.md describes (only if missing).
peer_flags=()
if [ "$PEER_SITES" -gt 0 ] && [ "${DJCHECKUP:-1}" = 1 ]; then
  if [ ! -x "$PEERS_CACHE/peers-venv/bin/djcheckup" ] && [ "${INSTALL_PEERS:-1}" = 1 ]; then
    say "installing djcheckup into $PEERS_CACHE/peers-venv"
    "$PYTHON" -m venv "$PEERS_CACHE/peers-venv"
    "$PEERS_CACHE/peers-venv/bin/pip" install -q djcheckup==1.0.0 || say "djcheckup install failed; left out"
  fi
else
  peer_flags+=(--no-djcheckup)
fi
OBS_DIR=$PEERS_CACHE/npm/node_modules/@mdn/mdn-http-observatory
if [ "$PEER_SITES" -gt 0 ] && [ "${OBSERVATORY:-1}" = 1 ]; then
  if [ ! -f "$OBS_DIR/src/scan.js" ] && [ "${INSTALL_PEERS:-1}" = 1 ] && command -v npm >/dev/null; then
    say "installing @mdn/mdn-http-observatory 1.4.8 into $PEERS_CACHE/npm (--ignore-scripts)"
    npm install --silent --ignore-scripts --prefix "$PEERS_CACHE/npm" @mdn/mdn-http-observatory@1.4.8 \
      && echo '{}' > "$OBS_DIR/conf/hsts-preload.json" || say "Observatory install failed; left out"
  fi
else
  peer_flags+=(--no-observatory)
fi

# 4. Generate, serve, time, report.
"$PYTHON" "$BENCH/scan_fleet.py" bench --out "$OUT/fleet" --djguard "$OUT/djguard-bin" \
  --sites "$SITES" --tls-every "$TLS_EVERY" --workers "$NGINX_WORKERS" --runs "$RUNS" \
  --warmup "$WARMUP" --concurrency "$CONCURRENCY" --peer-sites "$PEER_SITES" --seed "${SEED:-1}" \
  --delays "${DELAYS:-0}" --delay-runs "${DELAY_RUNS:-1}" \
  --timer "$TIMER" ${peer_flags[@]+"${peer_flags[@]}"}
