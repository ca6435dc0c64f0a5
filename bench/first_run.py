#!/usr/bin/env python3
"""How long the first `djguard check` takes when it downloads the advisory database, against
a run with the database cached, a run a day later (one conditional request) and one offline.

The database and its server are deps_vs_peers.sh's: `deps_osv.py build` (the real PyPA records
of the test fixtures plus clones under made-up names, as large as the real export) served by
`deps_osv.py serve` on loopback (ETag, 304), so no outside host is reached. The project is the
bundled example with the bench's 300-package requirements file.

Usage:  python3 bench/first_run.py [--djguard target/release/djguard] [--runs 3]
packaging and pyyaml (for deps_osv.py) go into .cache/bench-first-run/venv on first use.
Prints a table of wall times (median of --runs) and the zip's size.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".cache", "bench-first-run")
OSV = os.path.join(ROOT, "bench", "deps_osv.py")


def venv_python():
    venv = os.path.join(CACHE, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "packaging", "pyyaml"], check=True)
    return py


def serve(py, directory):
    """deps_osv.py serve on a free loopback port; returns (process, base URL)."""
    proc = subprocess.Popen([py, OSV, "serve", "--dir", directory, "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        sys.exit(f"deps_osv.py serve said {line!r}")
    return proc, f"http://127.0.0.1:{line.split()[1]}", line.strip()


def project(tmp):
    dest = os.path.join(tmp, "mysite")
    shutil.copytree(os.path.join(ROOT, "examples", "mysite"), dest)
    shutil.copy(os.path.join(ROOT, "bench", "deps", "requirements.txt"),
                os.path.join(dest, "requirements.txt"))
    return dest


def timed(cmd, env):
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr[-1000:]}")
    return wall, p.stdout


def main():
    ap = argparse.ArgumentParser()
    default = os.path.join(ROOT, "target", "release", "djguard")
    ap.add_argument("--djguard", default=default)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(args.djguard):
        sys.exit(f"no binary at {args.djguard} (cargo build --release -p djguard)")
    py = venv_python()
    served = os.path.join(CACHE, "osv")
    if not os.path.exists(os.path.join(served, "all.zip")):
        subprocess.run([py, OSV, "build", "--out", served], check=True)
    tmp = tempfile.mkdtemp(prefix="djguard-first-run-")
    server, base_url, said = serve(py, served)
    try:
        url = f"{base_url}/all.zip"
        proj = project(tmp)
        base = dict(os.environ, DJGUARD_ADVISORY_URL=url)
        base.pop("DJGUARD_OFFLINE", None)
        cmd = [args.djguard, "check", proj, "--format", "json"]
        first, cached, offline, refresh = [], [], [], []
        for i in range(args.runs):
            cache = os.path.join(tmp, f"cache-{i}")
            env = dict(base, DJGUARD_CACHE_DIR=cache)
            wall, out = timed(cmd, env)
            first.append(wall)
            assert "OSV PyPI database" in out, "the downloaded advisories were not used"
            cached.append(timed(cmd, env)[0])
            # A day later: one conditional request (304), then the cached audit.
            meta = os.path.join(cache, "osv-pypi.meta.json")
            with open(meta, encoding="utf-8") as f:
                text = f.read()
            doc = json.loads(text)
            doc["checked"] = "2020-01-01T00:00:00Z"
            with open(meta, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            refresh.append(timed(cmd, env)[0])
            offline.append(timed(cmd + ["--offline"], dict(env, DJGUARD_CACHE_DIR=os.path.join(tmp, "none")))[0])
        med = lambda xs: statistics.median(xs) * 1000
        print(f"advisory database served from loopback: {said}")
        print(f"binary: {args.djguard}")
        print(f"{'run':58} {'median ms':>10}")
        print(f"{'first check (download, index, audit)':58} {med(first):10.0f}")
        print(f"{'next check the same day (database cached, no request)':58} {med(cached):10.0f}")
        print(f"{'check a day later (conditional request, 304)':58} {med(refresh):10.0f}")
        print(f"{'check --offline, no database (built-in Django data only)':58} {med(offline):10.0f}")
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
