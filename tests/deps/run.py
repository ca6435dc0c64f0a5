#!/usr/bin/env python3
"""Differential test of djguard's OSV advisory evaluation (rule DJG304).

The judge is osv_oracle.py: an independent OSV evaluator built on the real
`packaging` library.  Both are fed the PyPA advisories committed under
crates/djguard/tests/fixtures/deps/pypa-subset/vulns.  For every package the
oracle proposes candidate versions (every version the records mention, their
neighbours, an rc and a post-release of each, 0.0.1 and 9999) and says which
vulnerabilities (alias-merged groups of records) affect each one.  This
script pins every candidate in a throw-away project, runs `djguard deps` on
it and compares, version by version.

Three runs of djguard:
  main      the whole subset, one requirements-<package>.txt per package;
  aliases   django's records plus two synthetic records that alias
            PYSEC-2024-70 (directly and transitively), because the subset
            itself contains no alias duplicates;
  spelling  a few versions written with an extra ".0" (4.2.0 for 4.2).

Usage (from anywhere):  python3 tests/deps/run.py [--verbose] [--keep]

Exit status: 0 when djguard agrees everywhere, 1 on any mismatch, 2 when the
harness cannot run (no djguard binary, venv/pip failure, unreadable output).

Standard library only at the top level; `packaging` and `pyyaml` live in a
private venv at .cache/osv-oracle/venv (created on first run) and are only
used by the oracle, which runs inside it.
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VULNS = os.path.join(REPO, "crates", "djguard", "tests", "fixtures", "deps", "pypa-subset", "vulns")
VENV = os.path.join(REPO, ".cache", "osv-oracle", "venv")
ORACLE = os.path.join(HERE, "osv_oracle.py")
DJGUARD = os.path.join(REPO, "target", "debug", "djguard")
DJGUARD_TIMEOUT = 300


class HarnessError(Exception):
    pass


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The oracle's environment

def venv_python():
    sub = "Scripts" if os.name == "nt" else "bin"
    return os.path.join(VENV, sub, "python")


def ensure_venv():
    python = venv_python()
    probe = [python, "-c", "import packaging.version, yaml"]
    if os.path.exists(python) and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    log(f"creating {os.path.relpath(VENV, REPO)} (packaging, pyyaml from PyPI)...")
    try:
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "packaging", "pyyaml"], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise HarnessError(f"could not set up the oracle venv: {exc}")
    if subprocess.run(probe, capture_output=True).returncode != 0:
        raise HarnessError("the oracle venv still cannot import packaging and yaml")
    return python


def oracle(python, vulns, *extra, stdin=None):
    proc = subprocess.run([python, ORACLE, *extra, vulns], input=stdin,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise HarnessError(f"oracle failed ({proc.returncode}):\n{proc.stderr}")
    try:
        return json.loads(proc.stdout)
    except ValueError as exc:
        raise HarnessError(f"oracle printed no JSON: {exc}")


# --------------------------------------------------------------------------
# djguard

def check_binary():
    if not os.path.isfile(DJGUARD) or not os.access(DJGUARD, os.X_OK):
        raise HarnessError(f"{os.path.relpath(DJGUARD, REPO)} is missing: run `cargo build -p djguard` first")
    newest = 0.0
    for root, _, files in os.walk(os.path.join(REPO, "crates", "djguard", "src")):
        for name in files:
            newest = max(newest, os.path.getmtime(os.path.join(root, name)))
    if newest > os.path.getmtime(DJGUARD):
        log("warning: target/debug/djguard is older than crates/djguard/src; results describe the old build")


def write_project(folder, files):
    """files: {file name: [line, ...]}.  Returns {(file, line number): line}."""
    os.makedirs(folder, exist_ok=True)
    where = {}
    for name, lines in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            for number, line in enumerate(lines, 1):
                handle.write(line + "\n")
                where[(name, number)] = line
    return where


def run_djguard(project, advisories, cache):
    os.makedirs(cache, exist_ok=True)
    cmd = [DJGUARD, "deps", project]
    for folder in advisories:
        cmd += ["--advisories", folder]
    cmd += ["--no-builtin-advisories", "--cache-dir", cache, "--format", "json",
            "--min-confidence", "low", "--select", "DJG304"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=DJGUARD_TIMEOUT,
                              cwd=REPO)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"djguard took more than {DJGUARD_TIMEOUT}s")
    if proc.returncode not in (0, 1):
        raise HarnessError(f"djguard exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    try:
        out = json.loads(proc.stdout)
    except ValueError as exc:
        raise HarnessError(f"djguard printed no JSON ({exc}); stderr:\n{proc.stderr[-3000:]}")
    if proc.returncode == 1 and not out.get("findings"):
        raise HarnessError("djguard exited 1 without findings")
    return out


# --------------------------------------------------------------------------
# Comparison

Check = collections.namedtuple("Check", "package version expected fix file line")


def plan(oracle_out, packages=None, spelling=None):
    """One requirements file per package; returns (files, checks by (file, line))."""
    files, checks = {}, {}
    for name, info in sorted(oracle_out["packages"].items()):
        if packages is not None and name not in packages:
            continue
        file = f"requirements-{name}.txt"
        lines = []
        for cand in info["candidates"]:
            version = cand["version"]
            if spelling is not None:
                if (name, version) not in spelling:
                    continue
                written = spelling[(name, version)]
            else:
                written = version
            lines.append(f"{name}=={written}")
            checks[(file, len(lines))] = Check(name, written,
                                               [frozenset(g) for g in cand["groups"]],
                                               cand["fix"], file, len(lines))
        if lines:
            files[file] = lines
    return files, checks


def actual_by_line(out, checks, problems):
    """{(file, line): (list of id sets, set of fix values)} from djguard's JSON."""
    actual = collections.defaultdict(lambda: ([], set()))
    for finding in out.get("findings", []):
        key = (finding.get("path"), finding.get("line"))
        if finding.get("rule") != "DJG304":
            problems.append(f"unexpected rule {finding.get('rule')} at {key}")
            continue
        if key not in checks:
            problems.append(f"finding at a line the harness did not write: {key}")
            continue
        pkg = finding.get("package") or {}
        check = checks[key]
        if pkg.get("name") != check.package or pkg.get("version") != check.version:
            problems.append(f"{key}: finding names {pkg.get('name')}=={pkg.get('version')}, "
                            f"line holds {check.package}=={check.version}")
        groups, fixes = actual[key]
        advisories = pkg.get("advisories") or []
        if len(advisories) != 1:
            problems.append(f"{key}: finding with {len(advisories)} advisories (expected one per finding)")
        for adv in advisories:
            groups.append(frozenset(adv.get("ids") or []) | {adv.get("id")})
        fixes.add(pkg.get("fix"))
    # Every line must have been understood as an exact pin.
    seen = {}
    for dep in (out.get("dependencies") or {}).get("dependencies", []):
        seen[(dep.get("path"), dep.get("line"))] = dep
    for key, check in checks.items():
        dep = seen.get(key)
        if dep is None:
            problems.append(f"{key}: djguard did not list {check.package}=={check.version} as a dependency")
        elif dep.get("status") != "pinned" or dep.get("version") != check.version:
            problems.append(f"{key}: djguard read {check.package}=={check.version} as "
                            f"status={dep.get('status')} version={dep.get('version')}")
    for err in out.get("errors") or []:
        problems.append(f"djguard error: {err}")
    return actual


def compare(checks, actual):
    """Returns (group mismatches, fix comparisons)."""
    mismatches, fixes = [], []
    for key, check in sorted(checks.items()):
        got, got_fix = actual.get(key, ([], set()))
        expected = list(check.expected)
        used = set()
        for exp in expected:
            hits = [i for i, g in enumerate(got) if g & exp]
            used.update(hits)
            if not hits:
                mismatches.append(("missing", check, exp, None))
            elif len(hits) > 1:
                mismatches.append(("split", check, exp, [got[i] for i in hits]))
            elif got[hits[0]] != exp:
                mismatches.append(("ids differ", check, exp, got[hits[0]]))
        for i, g in enumerate(got):
            over = [e for e in expected if g & e]
            if len(over) > 1:
                mismatches.append(("merged", check, over, g))
            if i not in used:
                mismatches.append(("extra", check, None, g))
        if len(got) != len(set(got)):
            mismatches.append(("duplicate finding", check, None, got))
        if expected:
            if len(got_fix) > 1:
                fixes.append((check, check.fix, sorted(map(str, got_fix)), "findings disagree"))
            else:
                fixes.append((check, check.fix, next(iter(got_fix), None), None))
    return mismatches, fixes


def explain(python, vulns, mismatches):
    """Ask the oracle for a reason guess for every group mismatch."""
    if not mismatches:
        return []
    queries = []
    for kind, check, exp, got in mismatches:
        ids = set()
        for part in (exp, got):
            if isinstance(part, (set, frozenset)):
                ids |= part
            elif isinstance(part, list):
                for p in part:
                    ids |= set(p)
        queries.append({"package": check.package, "version": check.version, "kind": kind,
                        "ids": sorted(ids)})
    return oracle(python, vulns, "--explain", stdin=json.dumps(queries))


def fmt(ids):
    if ids is None:
        return "-"
    if isinstance(ids, list):
        return " + ".join(fmt(i) for i in ids)
    return "{" + ", ".join(sorted(ids)) + "}"


def is_pre(version):
    """Rough pre/dev-release test on canonical strings (for reporting only)."""
    import re
    return re.search(r"(a|b|rc|dev)\d*", version.split("+")[0]) is not None


# --------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every fix comparison")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    started = time.time()

    check_binary()
    python = ensure_venv()
    base = oracle(python, VULNS)

    tmp = tempfile.mkdtemp(prefix="djguard-osv-")
    failures = 0
    harness_problems = []
    try:
        # ---------------- main run
        files, checks = plan(base)
        write_project(os.path.join(tmp, "main"), files)
        out = run_djguard(os.path.join(tmp, "main"), [VULNS], os.path.join(tmp, "cache-main"))
        actual = actual_by_line(out, checks, harness_problems)
        mismatches, fix_rows = compare(checks, actual)
        notes = (out.get("dependencies") or {}).get("notes") or []

        # ---------------- alias run (synthetic duplicates of PYSEC-2024-70)
        alias_dir = os.path.join(tmp, "alias-vulns")
        shutil.copytree(os.path.join(VULNS, "django"), os.path.join(alias_dir, "django"))
        with open(os.path.join(VULNS, "django", "PYSEC-2024-70.yaml"), encoding="utf-8") as handle:
            source_text = handle.read()
        affected_block = source_text[source_text.index("affected:"):source_text.index("references:")]
        synthetic = {
            # Same issue under a GHSA id, aliasing the CVE of PYSEC-2024-70.
            "GHSA-test-0000-0001": ["CVE-2024-42005"],
            # A third record that only knows the GHSA id: merges transitively.
            "DJGTEST-2024-0001": ["GHSA-test-0000-0001"],
        }
        for sid, aliases in synthetic.items():
            text = (f"id: {sid}\nmodified: 2024-08-07T17:22:10Z\npublished: 2024-08-07T15:15:00Z\n"
                    f"aliases:\n" + "".join(f"- {a}\n" for a in aliases)
                    + "details: Synthetic duplicate written by tests/deps/run.py.\n" + affected_block)
            with open(os.path.join(alias_dir, "django", f"{sid}.yaml"), "w", encoding="utf-8") as handle:
                handle.write(text)
        alias_oracle = oracle(python, alias_dir)
        a_files, a_checks = plan(alias_oracle, packages={"django"})
        write_project(os.path.join(tmp, "alias"), a_files)
        a_out = run_djguard(os.path.join(tmp, "alias"), [alias_dir], os.path.join(tmp, "cache-alias"))
        a_actual = actual_by_line(a_out, a_checks, harness_problems)
        a_mismatches, a_fix = compare(a_checks, a_actual)

        # ---------------- spelling run: X.0 for X
        spelling = {}
        for name, versions in {"django": ["4.2", "5.0", "4.2.14", "1.11.29", "3.2rc1"],
                               "wagtail": ["2.11.6", "2.12"],
                               "pillow": ["9.0", "10.0.1"]}.items():
            known = {c["version"] for c in base["packages"][name]["candidates"]}
            for v in versions:
                if v in known:
                    if "rc" in v:
                        spelling[(name, v)] = v.replace("rc", ".0rc")
                    else:
                        spelling[(name, v)] = v + ".0"
        s_files, s_checks = plan(base, spelling=spelling)
        write_project(os.path.join(tmp, "spelling"), s_files)
        s_out = run_djguard(os.path.join(tmp, "spelling"), [VULNS], os.path.join(tmp, "cache-spelling"))
        s_actual = actual_by_line(s_out, s_checks, harness_problems)
        s_mismatches, _ = compare(s_checks, s_actual)
        reasons = explain(python, VULNS, mismatches) + explain(python, alias_dir, a_mismatches) \
            + explain(python, VULNS, s_mismatches)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    if harness_problems:
        print(f"\n== {len(harness_problems)} problem(s) reading djguard's output")
        for p in harness_problems:
            print("  " + p)
        failures += len(harness_problems)

    # ---------------- report group mismatches
    all_mismatches = [("main", m) for m in mismatches] + [("aliases", m) for m in a_mismatches] \
        + [("spelling", m) for m in s_mismatches]
    if all_mismatches:
        print(f"\n== {len(all_mismatches)} advisory mismatch(es) (expected = oracle, actual = djguard)")
        for (run, (kind, check, exp, got)), reason in zip(all_mismatches, reasons):
            print(f"  [{run}] {check.file}:{check.line} {check.package}=={check.version}: {kind}")
            print(f"      expected {fmt(exp)}")
            print(f"      actual   {fmt(got)}")
            if reason:
                print(f"      reason?  {reason}")
        failures += len(all_mismatches)

    # ---------------- fix hints
    fix_bad, fix_pre = [], []
    for check, want, got, note in fix_rows:
        if note is None and want == got:
            continue
        pre_only = is_pre(check.version) or (want and is_pre(want)) or (isinstance(got, str) and is_pre(got))
        (fix_pre if pre_only else fix_bad).append((check, want, got, note))
    if fix_bad or fix_pre:
        print(f"\n== fix hint differences: {len(fix_bad)} counted, {len(fix_pre)} only about pre-releases (not counted)")
        for label, rows in (("counted", fix_bad), ("pre-release", fix_pre)):
            for check, want, got, note in rows:
                print(f"  [{label}] {check.package}=={check.version}: oracle fix {want}, djguard fix {got}"
                      + (f" ({note})" if note else ""))
        failures += len(fix_bad)

    # ---------------- quirks
    print("\n== quirk checks")
    quirk_failures = check_quirks(base, checks, actual, out, alias_oracle, a_checks, a_actual,
                                  s_checks, s_actual)
    failures += quirk_failures

    # ---------------- summary
    n_versions = len(checks)
    n_pairs = sum(len(c.expected) for c in checks.values())
    n_affected = sum(1 for c in checks.values() if c.expected)
    print("\n== summary")
    print(f"  advisories: {sum(len(p['records']) for p in base['packages'].values())} records in "
          f"{len(base['packages'])} packages (+{len(base['withdrawn'])} withdrawn, skipped); "
          f"{sum(len(g) for g in base['groups'].values())} vulnerability groups")
    print(f"  versions checked: {n_versions} (main run), {n_affected} affected by >= 1 group")
    print(f"  (version, vulnerability) pairs expected affected: {n_pairs}")
    print(f"  djguard findings: {len(out.get('findings', []))} (main), "
          f"{len(a_out.get('findings', []))} (aliases), {len(s_out.get('findings', []))} (spelling)")
    print(f"  advisory mismatches: {len(mismatches)} main, {len(a_mismatches)} aliases, "
          f"{len(s_mismatches)} spelling")
    print(f"  fix hints compared: {len(fix_rows)}; differing: {len(fix_bad)} counted + {len(fix_pre)} pre-release only")
    print(f"  quirk check failures: {quirk_failures}; harness problems: {len(harness_problems)}")
    if base["invalid"]:
        print(f"  oracle skipped {len(base['invalid'])} non-PEP 440 value(s): {base['invalid']}")
    else:
        print("  oracle skipped no values: every event and versions entry is PEP 440")
    for note in base["notes"]:
        print(f"  oracle note: {note}")
    for note in notes:
        print(f"  djguard note: {note}")
    print(f"  time: {time.time() - started:.1f}s")
    print("RESULT: " + ("PASS" if failures == 0 else f"FAIL ({failures})"))
    return 0 if failures == 0 else 1


def groups_at(checks, actual, package, version):
    """(expected groups, actual groups) at package==version, or None if not a candidate."""
    for key, check in checks.items():
        if check.package == package and check.version == version:
            return check.expected, actual.get(key, ([], set()))[0]
    return None


def check_quirks(base, checks, actual, out, alias_oracle, a_checks, a_actual, s_checks, s_actual):
    failed = 0

    def verdict(label, ok, detail=""):
        nonlocal failed
        print(f"  [{'ok' if ok else 'FAIL'}] {label}" + (f": {detail}" if detail else ""))
        if not ok:
            failed += 1

    def has(groups, rid):
        return any(rid in g for g in groups)

    # 1. Unsorted events: PYSEC-2024-70.
    unsorted = {q["id"] for q in base["quirks"]["unsorted_ranges"]}
    verdict("PYSEC-2024-70 is among the ranges with unsorted events "
            f"({len(unsorted)} such records)", "PYSEC-2024-70" in unsorted)
    for version, want in [("4.2.14", True), ("4.2.15", False), ("5.0.7", True), ("5.0.8", False)]:
        pair = groups_at(checks, actual, "django", version)
        if pair is None:
            verdict(f"django {version} is a candidate", False)
            continue
        exp, got = pair
        verdict(f"PYSEC-2024-70 {'affects' if want else 'spares'} django {version}",
                has(exp, "PYSEC-2024-70") == want and has(got, "PYSEC-2024-70") == want,
                f"oracle {has(exp, 'PYSEC-2024-70')}, djguard {has(got, 'PYSEC-2024-70')}")
    four_one = [(c, actual.get(k, ([], set()))[0]) for k, c in checks.items()
                if c.package == "django" and c.version.startswith("4.1")
                and c.version[3:4] in ("", ".", "a", "b", "r")]
    bad = [c.version for c, got in four_one if has(c.expected, "PYSEC-2024-70") or has(got, "PYSEC-2024-70")]
    verdict(f"PYSEC-2024-70 spares all {len(four_one)} django 4.1.x candidates", not bad and four_one,
            f"flagged: {bad}" if bad else "")

    # 2. introduced "0".
    zero = base["quirks"]["introduced_zero"]
    verdict(f"records with introduced \"0\": {len(zero)}; PYSEC-2021-98 is one",
            any(q["id"] == "PYSEC-2021-98" for q in zero))
    pair = groups_at(checks, actual, "django", "1.11.29")
    verdict("django 1.11.29 affected by PYSEC-2021-98 (introduced 0, fixed only in 2.2/3.1/3.2)",
            pair is not None and has(pair[0], "PYSEC-2021-98") and has(pair[1], "PYSEC-2021-98"),
            "" if pair is None else f"oracle {has(pair[0], 'PYSEC-2021-98')}, djguard {has(pair[1], 'PYSEC-2021-98')}")
    pair = groups_at(checks, actual, "django", "0.0.1")
    verdict("django 0.0.1 (below every listed release) affected through introduced 0",
            pair is not None and len(pair[0]) > 0 and len(pair[1]) == len(pair[0]),
            "" if pair is None else f"oracle {len(pair[0])} groups, djguard {len(pair[1])}")

    # 3. Withdrawn record.
    withdrawn = base["withdrawn"]
    verdict("redis/PYSEC-2023-73 is the withdrawn record the oracle skipped",
            [w["id"] for w in withdrawn] == ["PYSEC-2023-73"])
    withdrawn_ids = {"PYSEC-2023-73", "CVE-2023-31655"}
    reported = [(f.get("path"), f.get("line")) for f in out.get("findings", [])
                for a in f["package"]["advisories"]
                if withdrawn_ids & (set(a.get("ids") or []) | {a.get("id")})]
    redis_lines = sum(1 for c in checks.values() if c.package == "redis")
    verdict(f"withdrawn PYSEC-2023-73 (introduced 0, no fix: would hit every redis version) "
            f"never reported over {redis_lines} redis candidates", not reported and redis_lines > 0,
            f"reported at {reported[:5]}" if reported else "")
    loaded = [s for s in (out.get("dependencies") or {}).get("sources", []) if "vulns" in s]
    print(f"         (djguard source line: {loaded})")

    # 4. Alias duplicates.
    dups = base["quirks"]["alias_duplicates"]
    if dups:
        for d in dups:
            versions = [(k, c) for k, c in checks.items() if c.package == d["package"]
                        and any(set(d["ids"]) == set(g) for g in c.expected)]
            bad = [c.version for k, c in versions
                   if sum(1 for g in actual.get(k, ([], set()))[0] if g & set(d["ids"])) != 1]
            verdict(f"alias duplicate {d['records']} ({d['package']}) reported once per version "
                    f"over {len(versions)} versions", not bad, f"not once at {bad}" if bad else "")
    else:
        print("  [info] the subset has no alias duplicates: no two records of one package share an "
              "id or alias (checked over all 322 live records); testing with synthetic ones")
    target = {"PYSEC-2024-70", "CVE-2024-42005", "GHSA-test-0000-0001", "DJGTEST-2024-0001"}
    merged = [g for groups in (tuple(c.expected) for c in a_checks.values()) for g in groups if g & target]
    verdict("oracle merges PYSEC-2024-70 + GHSA-test-0000-0001 (direct) + DJGTEST-2024-0001 (transitive)",
            bool(merged) and all(g == target for g in merged))
    for version in ("4.2.14", "5.0.7", "4.2.15"):
        pair = groups_at(a_checks, a_actual, "django", version)
        if pair is None:
            verdict(f"django {version} in alias run", False)
            continue
        hits = [g for g in pair[1] if g & target]
        want = 1 if version != "4.2.15" else 0
        verdict(f"alias run: django {version} gets {want} finding(s) for the merged group",
                len(hits) == want and all(g == target for g in hits), f"djguard: {[sorted(h) for h in hits]}")

    # 5. versions list vs ranges.
    vr = base["quirks"]["versions_vs_ranges"]
    for q in vr:
        pair = groups_at(checks, actual, q["package"], q["version"])
        if pair is None:
            verdict(f"{q['package']} {q['version']} candidate", False)
            continue
        verdict(f"{q['id']} {q['package']} {q['version']} ({q['kind']}) is affected (versions OR ranges)",
                has(pair[0], q["id"]) and has(pair[1], q["id"]),
                f"oracle {has(pair[0], q['id'])}, djguard {has(pair[1], q['id'])}")

    # 6. Multi-pair ranges and spelling.
    print(f"  [info] {len(base['quirks']['multi_pair_ranges'])} ranges with several introduced/fixed pairs "
          "(covered by the per-version comparison)")
    n_s = len(s_checks)
    print(f"  [info] spelling run: {n_s} versions written as X.0 "
          f"({', '.join(sorted(c.package + '==' + c.version for c in s_checks.values()))}); "
          "their mismatches, if any, are listed above under [spelling]")
    return failed


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HarnessError as exc:
        log(f"harness error: {exc}")
        sys.exit(2)
