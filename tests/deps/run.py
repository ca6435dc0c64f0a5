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

SYNTHETIC = {
    "GHSA-test-0000-0001": ["CVE-2024-42005"],        # aliases PYSEC-2024-70's CVE
    "DJGTEST-2024-0001": ["GHSA-test-0000-0001"],     # only reaches it through the GHSA
}
# (package, candidate as the oracle spells it) -> another PEP 440 spelling of it.
SPELLING = {("django", "4.2"): "4.2.0", ("django", "5.0"): "5.0.0", ("django", "4.2.14"): "4.2.14.0",
            ("django", "1.11.29"): "1.11.29.0", ("django", "3.2rc1"): "3.2.0rc1",
            ("django", "3.2a1"): "3.2.0a1", ("wagtail", "2.11.6"): "2.11.6.0",
            ("wagtail", "2.12"): "2.12.0", ("pillow", "9.0.0"): "9.0", ("pillow", "10.0.1"): "10.0.1.0"}


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
        raise HarnessError(f"{DJGUARD} is missing or not executable: run `cargo build -p djguard` first")
    newest = 0.0
    for root, _, files in os.walk(os.path.join(REPO, "crates")):
        for name in files:
            newest = max(newest, os.path.getmtime(os.path.join(root, name)))
    if newest > os.path.getmtime(DJGUARD):
        log("warning: target/debug/djguard is older than the sources under crates/; results describe the old build")


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


def start_djguard(project, advisories, cache):
    """Start djguard in the background; finish_djguard() collects it."""
    os.makedirs(cache, exist_ok=True)
    cmd = [DJGUARD, "deps", project]
    for folder in advisories:
        cmd += ["--advisories", folder]
    cmd += ["--no-builtin-advisories", "--cache-dir", cache, "--format", "json",
            "--min-confidence", "low", "--select", "DJG304"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def finish_djguard(proc):
    try:
        stdout, stderr = proc.communicate(timeout=DJGUARD_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise HarnessError(f"djguard took more than {DJGUARD_TIMEOUT}s")
    if proc.returncode not in (0, 1):
        raise HarnessError(f"djguard exited {proc.returncode}:\n{stderr[-3000:]}")
    try:
        out = json.loads(stdout)
    except ValueError as exc:
        raise HarnessError(f"djguard printed no JSON ({exc}); stderr:\n{stderr[-3000:]}")
    if proc.returncode == 1 and not out.get("findings"):
        raise HarnessError("djguard exited 1 without findings")
    return out


# --------------------------------------------------------------------------
# Comparison

Check = collections.namedtuple("Check", "package version expected fix fix_final prerelease file line")


def plan(oracle_out, packages=None, spelling=None, keep=None):
    """One requirements file per package; returns (files, checks by (file, line))."""
    files, checks = {}, {}
    for name, info in sorted(oracle_out["packages"].items()):
        if packages is not None and name not in packages:
            continue
        file = f"requirements-{name}.txt"
        lines = []
        for cand in info["candidates"]:
            version = cand["version"]
            if keep is not None and not keep(name, version):
                continue
            if spelling is not None:
                if (name, version) not in spelling:
                    continue
                written = spelling[(name, version)]
            else:
                written = version
            lines.append(f"{name}=={written}")
            checks[(file, len(lines))] = Check(name, written,
                                               [frozenset(g) for g in cand["groups"]],
                                               cand["fix"], cand["fix_final"], cand["prerelease"],
                                               file, len(lines))
        if lines:
            files[file] = lines
    return files, checks


def actual_by_line(out, checks, problems):
    """{(file, line): (list of id sets, set of fix values)} from djguard's JSON."""
    actual = collections.defaultdict(lambda: ([], set()))
    # DJG304 findings per line, counted once (comparing every pair took minutes).
    per_line = collections.Counter((f.get("path"), f.get("line")) for f in out.get("findings", [])
                                   if f.get("rule") == "DJG304")
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
        if not advisories:
            problems.append(f"{key}: finding without advisories")
        if per_line[key] > 1:
            problems.append(f"{key}: more than one DJG304 finding for one pinned version")
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
        if expected and got:
            if len(got_fix) > 1:
                fixes.append((check, sorted(map(str, got_fix)), "findings of one line disagree"))
            else:
                fixes.append((check, next(iter(got_fix)), None))
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


# --------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every version in grouped output")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument("--djguard", help="binary to test (default: target/debug/djguard)")
    args = parser.parse_args()
    if args.djguard:
        global DJGUARD
        DJGUARD = os.path.abspath(args.djguard)
    started = time.time()

    check_binary()
    python = ensure_venv()
    base = oracle(python, VULNS)
    oracle_seconds = time.time() - started

    tmp = tempfile.mkdtemp(prefix="djguard-osv-")
    failures = 0
    harness_problems = []
    main_proc = alias_proc = None
    try:
        # ---------------- main run (in the background: it is the slow part)
        files, checks = plan(base)
        write_project(os.path.join(tmp, "main"), files)
        main_started = time.time()
        main_proc = start_djguard(os.path.join(tmp, "main"), [VULNS], os.path.join(tmp, "cache-main"))

        # ---------------- alias run: synthetic duplicates of PYSEC-2024-70
        # The subset has no two records sharing an alias, so make some: a
        # GHSA-style record aliasing PYSEC-2024-70's CVE (direct merge) and a
        # third record that only names the GHSA id (transitive merge), both
        # with PYSEC-2024-70's affected block.  PYSEC-2024-67 (same versions,
        # different CVE) rides along as an unrelated record that must stay
        # separate.
        alias_dir = os.path.join(tmp, "alias-vulns", "django")
        os.makedirs(alias_dir)
        for rid in ("PYSEC-2024-70", "PYSEC-2024-67"):
            shutil.copy(os.path.join(VULNS, "django", rid + ".yaml"), alias_dir)
        with open(os.path.join(VULNS, "django", "PYSEC-2024-70.yaml"), encoding="utf-8") as handle:
            source_text = handle.read()
        affected_block = source_text[source_text.index("affected:"):source_text.index("references:")]
        for sid, aliases in SYNTHETIC.items():
            text = (f"id: {sid}\nmodified: 2024-08-07T17:22:10Z\npublished: 2024-08-07T15:15:00Z\n"
                    "aliases:\n" + "".join(f"- {a}\n" for a in aliases)
                    + "details: Synthetic duplicate written by tests/deps/run.py.\n" + affected_block)
            with open(os.path.join(alias_dir, f"{sid}.yaml"), "w", encoding="utf-8") as handle:
                handle.write(text)
        alias_vulns = os.path.dirname(alias_dir)
        alias_oracle = oracle(python, alias_vulns)
        a_files, a_checks = plan(alias_oracle)
        write_project(os.path.join(tmp, "alias"), a_files)
        alias_proc = start_djguard(os.path.join(tmp, "alias"), [alias_vulns], os.path.join(tmp, "cache-alias"))

        # ---------------- spelling run: X.0 for X (4.2 == 4.2.0 under PEP 440)
        for name, version in SPELLING:
            if version not in {c["version"] for c in base["packages"][name]["candidates"]}:
                harness_problems.append(f"spelling probe {name} {version} is not a candidate")
        s_files, s_checks = plan(base, spelling=SPELLING)
        write_project(os.path.join(tmp, "spelling"), s_files)
        s_out = finish_djguard(start_djguard(os.path.join(tmp, "spelling"), [VULNS],
                                             os.path.join(tmp, "cache-spelling")))
        s_actual = actual_by_line(s_out, s_checks, harness_problems)
        s_mismatches, _ = compare(s_checks, s_actual)

        a_out = finish_djguard(alias_proc)
        a_actual = actual_by_line(a_out, a_checks, harness_problems)
        a_mismatches, _ = compare(a_checks, a_actual)

        out = finish_djguard(main_proc)
        main_seconds = time.time() - main_started
        actual = actual_by_line(out, checks, harness_problems)
        mismatches, fix_rows = compare(checks, actual)
        notes = (out.get("dependencies") or {}).get("notes") or []

        reasons = explain(python, VULNS, mismatches) + explain(python, alias_vulns, a_mismatches) \
            + explain(python, VULNS, s_mismatches)
    finally:
        for proc in (main_proc, alias_proc):
            if proc is not None and proc.poll() is None:  # only after a harness error
                proc.kill()
                proc.communicate()
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
    # Counted: djguard's `fix` differs from the oracle's.  Not counted: it
    # equals the answer obtained when pre-release fixed values are not
    # recommended (the rule in the brief does not say whether a pre-release
    # such as 24.7.0rc1 may be a "fix"; refusing to suggest one is a policy
    # choice, not an evaluation error).
    fix_bad, fix_pre = [], []
    for check, got, note in fix_rows:
        if note is None and got == check.fix:
            continue
        if note is None and got == check.fix_final:
            fix_pre.append((check, got, note))
        else:
            fix_bad.append((check, got, note))
    if fix_bad or fix_pre:
        print(f"\n== fix hint differences: {len(fix_bad)} counted, {len(fix_pre)} only about "
              "pre-release fixed values (not counted)")
        for check, got, note in fix_bad:
            print(f"  [counted] {check.package}=={check.version}: oracle fix {check.fix} "
                  f"(final releases only: {check.fix_final}), djguard fix {got}" + (f" ({note})" if note else ""))
        by_pkg = collections.defaultdict(list)
        for check, got, note in fix_pre:
            by_pkg[(check.package, check.fix, got)].append(check.version)
        for (package, want, got), versions in sorted(by_pkg.items()):
            shown = versions if args.verbose else versions[:4] + (["..."] if len(versions) > 4 else [])
            print(f"  [pre-release] {package}: {len(versions)} affected versions "
                  f"({', '.join(shown)}): oracle fix {want}, djguard fix {got} "
                  "(the only clean fixed value above them is a pre-release)")
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
    print(f"  fix hints compared: {len(fix_rows)} affected versions; differing: {len(fix_bad)} counted + "
          f"{len(fix_pre)} pre-release only")
    print(f"  quirk check failures: {quirk_failures}; harness problems: {len(harness_problems)}")
    if base["invalid"]:
        print(f"  oracle skipped {len(base['invalid'])} non-PEP 440 value(s): {base['invalid']}")
    else:
        print("  oracle skipped no values: every event and versions entry is PEP 440")
    for note in base["notes"]:
        print(f"  oracle note: {note}")
    for note in notes:
        print(f"  djguard note: {note}")
    print(f"  time: {time.time() - started:.1f}s (venv check + oracle {oracle_seconds:.1f}s, main djguard run "
          f"{main_seconds:.1f}s wall, concurrent with the two small runs)")
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
        live = sum(len(p["records"]) for p in base["packages"].values())
        print("  [info] the subset has no alias duplicates: no two records of one package share an "
              f"id or alias (checked over all {live} live records); testing with synthetic ones")
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
    pair = groups_at(a_checks, a_actual, "django", "4.2.14")
    if pair is not None:
        other = [g for g in pair[1] if "PYSEC-2024-67" in g]
        verdict("alias run: unrelated PYSEC-2024-67 (same versions) stays a separate finding at django 4.2.14",
                len(other) == 1 and not (other[0] & target), f"djguard: {[sorted(g) for g in other]}")

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
