#!/usr/bin/env python3
"""Precision of djguard's default output on the precision corpus (issue 14).

Runs `djguard check` with default options on every project of projects.tsv (fetched by
fetch.py into .cache/precision/src/), matches each finding against the hand verdicts in
labels/NAME.tsv and prints:
  - precision overall, per project, per confidence, per severity and per rule;
  - whether a project's text output opens on a false alarm (its first finding);
  - the findings hidden below the default confidence, per rule (what --min-confidence low adds);
  - every finding that has no verdict yet (to triage), with its fingerprint.

A verdict is one of
  real      the claim is true and it is a real problem
  harmless  the claim is true (the risky pattern is there) but it is harmless in this context
  false     a false alarm: the claim is false (a guard exists, the value is not a secret, ...)
  dev       a deployment finding on a development or test settings module (a false alarm)
`real` and `harmless` count as right.

labels/NAME.tsv (and NAME.PART.tsv) columns (tab-separated, `#` comments):
  rule  path  fingerprint  line  verdict  reason
A label matches a finding by (rule, path, fingerprint); the line is informative and breaks ties
when one fingerprint occurs twice.

Usage: python3 bench/precision/run.py [--round 1|2] [--json OUT] [--unlabeled-only] [NAME ...]
Env:   DJGUARD=path/to/djguard (default target/release/djguard, built if missing)
"""
import argparse
import collections
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = ROOT / ".cache" / "precision"
RIGHT = {"real", "harmless"}
VERDICTS = {"real", "harmless", "false", "dev"}
SEV = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
CONF = {"high": 2, "medium": 1, "low": 0}


def projects():
    for line in (HERE / "projects.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, pkg, version, kind, root, settings, rnd = line.split("\t")
        yield dict(name=name, version=version, root=root, settings=settings, round=int(rnd))


def labels_of(name):
    # NAME.tsv, plus NAME.PART.tsv when several people labelled parts of one project.
    paths = [HERE / "labels" / f"{name}.tsv", *sorted((HERE / "labels").glob(f"{name}.*.tsv"))]
    out = collections.defaultdict(list)
    for path in paths:
        if path.exists():
            read_labels(path, out)
    return out


def read_labels(path, out):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 6 or cols[4] not in VERDICTS:
            sys.exit(f"{path}:{n}: expected rule, path, fingerprint, line, verdict, reason")
        rule, fpath, fp, ln, verdict, reason = cols[:6]
        out[(rule, fpath, fp)].append((int(ln or 0), verdict, reason))


def run_djguard(binary, p, extra):
    root = CACHE / "src" / p["name"] / p["root"]
    cmd = [binary, "check", str(root), "--format", "json", *extra]
    if p["settings"] != "-":
        cmd += ["--settings", str(root / p["settings"])]
    # Offline: the labels judge what djguard finds in the code, settings, templates and the
    # built-in Django data; the OSV database changes daily and is not part of the corpus.
    r = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, DJGUARD_OFFLINE="1"))
    if r.returncode not in (0, 1):
        sys.exit(f"{p['name']}: djguard exited {r.returncode}: {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def verdict_of(f, labels):
    cands = labels.get((f["rule"], f["path"], f["fingerprint"]))
    if not cands:
        return None
    best = min(cands, key=lambda c: abs(c[0] - f["line"]))
    return best


def text_order(f):
    """The order of the text output (render/text.rs `text_order`): most severe first, then most
    confident, then by rule, then path order."""
    return (-SEV[f["severity"]], -CONF[f["confidence"]], f["rule"], f["path"], f["line"], f["column"])


def pct(right, total):
    return f"{100.0 * right / total:5.1f}% ({right}/{total})" if total else "    -"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--round", type=int)
    ap.add_argument("--json", help="write the per-finding table here")
    ap.add_argument("--unlabeled-only", action="store_true")
    ap.add_argument("--no-hidden", action="store_true", help="skip the --min-confidence low run")
    a = ap.parse_args()
    binary = os.environ.get("DJGUARD", str(ROOT / "target" / "release" / "djguard"))
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "-p", "djguard"], cwd=ROOT, check=True)

    stats = collections.defaultdict(lambda: [0, 0])  # key -> [right, labelled]
    hidden = collections.Counter()
    unlabeled = []
    opens = {}
    table = []
    for p in projects():
        if a.names and p["name"] not in a.names:
            continue
        if a.round and p["round"] != a.round:
            continue
        if not (CACHE / "src" / p["name"]).is_dir():
            print(f"{p['name']}: not fetched (python3 bench/precision/fetch.py)", file=sys.stderr)
            continue
        labels = labels_of(p["name"])
        report = run_djguard(binary, p, [])
        findings = report.get("findings", [])
        if not a.no_hidden:
            low = run_djguard(binary, p, ["--min-confidence", "low"])
            shown = collections.Counter((f["rule"], f["path"], f["fingerprint"], f["line"]) for f in findings)
            for f in low.get("findings", []):
                k = (f["rule"], f["path"], f["fingerprint"], f["line"])
                if shown[k]:
                    shown[k] -= 1
                else:
                    hidden[f["rule"]] += 1
        for f in sorted(findings, key=text_order):
            v = verdict_of(f, labels)
            row = dict(project=p["name"], rule=f["rule"], path=f["path"], line=f["line"],
                       fingerprint=f["fingerprint"], severity=f["severity"],
                       confidence=f["confidence"], message=f["message"],
                       verdict=v[1] if v else None, reason=v[2] if v else None)
            table.append(row)
            if p["name"] not in opens:
                opens[p["name"]] = row
            if not v:
                unlabeled.append(row)
                continue
            right = v[1] in RIGHT
            kind = "dep" if f["rule"].startswith("DJG3") else "code/template/settings"
            for key in [("all",), ("kind", kind), ("project", p["name"]),
                        ("confidence", f["confidence"]), ("severity", f["severity"]),
                        ("rule", f["rule"]), ("verdict", v[1])]:
                stats[key][0] += right
                stats[key][1] += 1
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps(table, indent=1))
    if not a.unlabeled_only:
        print(f"overall precision: {pct(*stats[('all',)])}")
        for group in ["kind", "confidence", "severity", "project", "rule"]:
            print(f"\nby {group}:")
            for key in sorted(k for k in stats if k[0] == group):
                print(f"  {key[1]:<24} {pct(*stats[key])}")
        print("\nverdicts:", ", ".join(f"{k[1]} {v[1]}" for k, v in sorted(stats.items()) if k[0] == "verdict"))
        print("\nfirst finding of each project's text output:")
        for name, row in opens.items():
            flag = "FALSE ALARM" if row["verdict"] in ("false", "dev") else (row["verdict"] or "unlabeled")
            print(f"  {name:<22} {row['rule']:<12} {row['severity']:<8} {row['confidence']:<6} {flag}  {row['path']}:{row['line']}")
        if not a.no_hidden:
            print(f"\nhidden below the default confidence (--min-confidence low adds): {sum(hidden.values())}")
            for rule, n in sorted(hidden.items()):
                print(f"  {rule:<12} {n}")
    print(f"\nunlabeled findings: {len(unlabeled)}")
    for r in unlabeled:
        print("\t".join([r["project"], r["rule"], r["path"], r["fingerprint"], str(r["line"]),
                         r["severity"], r["confidence"], r["message"][:160]]))


if __name__ == "__main__":
    main()
