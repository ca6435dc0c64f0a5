#!/usr/bin/env python3
"""Behaviour check for refactors (issue 15): capture djguard's JSON output on real trees and
live test sites, normalised, and compare two captures byte for byte.

    python3 scripts/compare_outputs.py capture DIR [--djguard BIN] [--no-scan]
    python3 scripts/compare_outputs.py compare DIR_BEFORE DIR_AFTER

`capture` runs, for every project of the precision corpus (bench/precision/projects.tsv,
fetched into .cache/precision/src/ by bench/precision/fetch.py) and every tree of the benchmark
corpus (.cache/bench-corpus/src/, made by bench/corpus.sh):

    djguard check ROOT --offline --no-config --format json --min-confidence low [--settings S]

and, unless --no-scan, `djguard scan --format json` on every configuration of the live test
sites (tests/scan/sites.py, on loopback). Each document is normalised (volatile fields: times,
dates, durations, ports, temporary paths, certificate dates) and written as DIR/NAME.json with
sorted keys. `compare` diffs two such folders file by file and exits 1 on any difference.
Trees that are missing are skipped with a note (the capture says which it read).

Standard library only; DJGUARD (or --djguard) selects the binary, else target/release/djguard.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PRECISION = ROOT / ".cache" / "precision" / "src"
BENCH = ROOT / ".cache" / "bench-corpus" / "src"

# Keys whose values change from run to run.
VOLATILE_KEYS = {
    "elapsed_ms", "duration_ms", "started", "finished", "time", "timestamp", "date",
    "generated", "elapsed", "took_ms", "scanned_at", "not_before", "not_after",
    "days_left", "expires_in_days",
}
PORT = re.compile(r"(127\.0\.0\.1|localhost|\[::1\]):\d+")
TMP = re.compile(r"/tmp/[^\s\"']+")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
HTTP_DATE = re.compile(r"[A-Z][a-z]{2}, \d{2}[ -][A-Z][a-z]{2}[ -]\d{4} \d{2}:\d{2}:\d{2} GMT")
# Random cookie and token values (CSRF tokens, session keys) the sites hand out.
TOKEN = re.compile(r"\b(\w*(?:csrf|session|token|nonce)\w*)=([A-Za-z0-9_\-]{16,})", re.I)
# The scanner's own random probe paths and made-up Host names.
PROBE = re.compile(r"djguard-(?:probe-)?[0-9a-f]{12}")
NONCE_ATTR = re.compile(r"(nonce-|nonce=\\?\"|value=\\?\")[A-Za-z0-9+/=_\-]{16,}")


def normalise(value, scan=False):
    """Volatile fields replaced; in scan documents also the fingerprints (they hash the URL,
    whose port the test sites pick at random)."""
    if isinstance(value, dict):
        return {
            k: (
                "<volatile>"
                if k in VOLATILE_KEYS or (scan and k == "fingerprint")
                else normalise(v, scan)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalise(v, scan) for v in value]
    if isinstance(value, str):
        value = PORT.sub(r"\1:PORT", value)
        value = TMP.sub("/tmp/TMP", value)
        value = HTTP_DATE.sub("HTTPDATE", value)
        value = TOKEN.sub(r"\1=TOKEN", value)
        value = NONCE_ATTR.sub(r"\1RANDOM", value)
        value = PROBE.sub("djguard-PROBE", value)
        return ISO.sub("DATETIME", value)
    return value


def projects():
    table = ROOT / "bench" / "precision" / "projects.tsv"
    for line in table.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _pkg, _version, _kind, root, settings, _round = line.split("\t")
        yield f"precision-{name}", PRECISION / name / root, None if settings == "-" else settings
    if BENCH.is_dir():
        for tree in sorted(BENCH.iterdir()):
            if tree.is_dir():
                yield f"bench-{tree.name}", tree, None


def run_json(cmd, cwd=None, env=None, scan=False):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        doc = {"unparsable_stdout": proc.stdout[-2000:], "stderr": proc.stderr[-2000:]}
    return {"exit": proc.returncode, "output": normalise(doc, scan)}


def write(out: pathlib.Path, name: str, doc) -> None:
    (out / f"{name}.json").write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")


def capture(out: pathlib.Path, djguard: str, scan: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    # A capture replaces the folder's documents: a stale one must not pass for output.
    for old in out.glob("*.json"):
        old.unlink()
    env = dict(os.environ, DJGUARD_TODAY="2026-11-21")
    n = 0
    for name, root, settings in projects():
        if not root.is_dir():
            print(f"skip {name}: {root} missing", file=sys.stderr)
            continue
        cmd = [djguard, "check", str(root), "--offline", "--no-config", "--format", "json",
               "--min-confidence", "low"]
        if settings:
            cmd += ["--settings", settings]
        write(out, name, run_json(cmd, cwd=root, env=env))
        n += 1
        print(f"captured {name}", file=sys.stderr)
    if scan:
        sys.path.insert(0, str(ROOT / "tests" / "scan"))
        from sites import CONFIGS, Sites  # noqa: E402  (stdlib-only helper of the test suite)

        with Sites() as sites:
            for config in sorted(CONFIGS):
                site = sites.start(config)
                cmd = [djguard, "scan", site.url, "--format", "json"]
                if site.https_url:
                    cmd.insert(3, site.https_url)
                if site.ca_file:
                    cmd += ["--ca-file", str(site.ca_file)]
                write(out, f"scan-{config}", run_json(cmd, env=env, scan=True))
                n += 1
                print(f"captured scan-{config}", file=sys.stderr)
    print(f"{n} documents in {out}", file=sys.stderr)
    return 0


def compare(a: pathlib.Path, b: pathlib.Path) -> int:
    names = sorted({p.name for p in a.glob("*.json")} | {p.name for p in b.glob("*.json")})
    differ = 0
    for name in names:
        pa, pb = a / name, b / name
        if not pa.exists() or not pb.exists():
            print(f"{name}: only in {'after' if not pa.exists() else 'before'}")
            differ += 1
            continue
        ta, tb = pa.read_text(), pb.read_text()
        if ta != tb:
            differ += 1
            diff = difflib.unified_diff(ta.splitlines(), tb.splitlines(), "before/" + name,
                                        "after/" + name, lineterm="", n=2)
            print("\n".join(list(diff)[:60]))
    print(f"{len(names) - differ}/{len(names)} identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("dir")
    cap.add_argument("--djguard", default=os.environ.get("DJGUARD", str(ROOT / "target" / "release" / "djguard")))
    cap.add_argument("--no-scan", action="store_true")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before")
    cmp_.add_argument("after")
    args = parser.parse_args()
    if args.cmd == "capture":
        return capture(pathlib.Path(args.dir), args.djguard, not args.no_scan)
    return compare(pathlib.Path(args.before), pathlib.Path(args.after))


if __name__ == "__main__":
    sys.exit(main())
