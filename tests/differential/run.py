#!/usr/bin/env python3
"""Differential test: djguard's security.* findings against the real Django.

Generates settings modules (generate.py), asks each requested Django release
which security.* IDs `manage.py check --deploy` reports for them (oracle.py,
run in a suitable Python with that Django installed under .cache/django/),
asks djguard the same question, and compares the sets case by case.

Exit status: 0 when every case Django could load gets exactly Django's answer
from djguard for every version; 1 otherwise; 2 when the harness itself cannot
run (no usable Python, pip failure, missing djguard binary).

Standard library only, so that CI needs nothing but Python 3, pip and the
interpreters pyenv provides.
"""

import argparse
import collections
import concurrent.futures
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(REPO, ".cache")
WORK = os.path.join(CACHE, "differential")

sys.path.insert(0, HERE)
import generate  # noqa: E402

DEFAULT_VERSIONS = "4.2.30,5.2.19,6.0.10,6.1.3"
ORACLE_TIMEOUT = 10  # seconds per case, inside the oracle
DJGUARD_TIMEOUT = 60  # seconds per djguard invocation

# Python versions each Django series supports (minor numbers of Python 3.x).
# A series missing here is assumed to need a recent Python.
PYTHON_RANGE = {
    "3.2": (6, 10), "4.0": (8, 10), "4.1": (8, 11), "4.2": (8, 12),
    "5.0": (10, 12), "5.1": (10, 13), "5.2": (10, 14),
    "6.0": (12, 14), "6.1": (12, 15),
}


class HarnessError(Exception):
    pass


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Finding interpreters

_probed = {}


def probe(exe):
    """(major, minor, real executable) of `exe`, or None if it does not run.

    Runs with the caller's environment so that a pyenv shim works when
    PYENV_VERSION is set; the real executable it reports is what gets used
    afterwards, under a clean environment.
    """
    if exe not in _probed:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        try:
            out = subprocess.run(
                [exe, "-c", "import sys; print(sys.version_info[0], sys.version_info[1], sys.executable)"],
                capture_output=True, text=True, timeout=30, env=env,
            )
            major, minor, real = out.stdout.strip().split(" ", 2)
            _probed[exe] = (int(major), int(minor), real) if out.returncode == 0 else None
        except (OSError, ValueError, subprocess.TimeoutExpired):
            _probed[exe] = None
    return _probed[exe]


def pyversion(exe):
    found = probe(exe)
    return "%d.%d" % found[:2] if found else "?"


def pyenv_root():
    if os.environ.get("PYENV_ROOT"):
        return os.environ["PYENV_ROOT"]
    if shutil.which("pyenv"):
        try:
            out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30)
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            pass
    return os.path.expanduser("~/.pyenv")


def version_key(path):
    match = re.search(r"/(\d+)\.(\d+)\.(\d+)[^/]*/bin/", path)
    return tuple(map(int, match.groups())) if match else (0, 0, 0)


def candidates(minors):
    """Interpreters to try, best first, for the given Python 3 minor versions."""
    out = []
    root = pyenv_root()
    for m in minors:
        # pyenv shims are on PATH too, but refuse to run without
        # PYENV_VERSION; probe() weeds those out.
        out.append(shutil.which(f"python3.{m}"))
        found = glob.glob(os.path.join(root, "versions", f"3.{m}.*", "bin", "python3"))
        out += sorted(found, key=version_key, reverse=True)
    out.append(shutil.which("python3"))
    return [c for c in out if c]


def find_python(django_version):
    series = ".".join(django_version.split(".")[:2])
    lo, hi = PYTHON_RANGE.get(series, (12, 99))
    # 3.12 first: it is the one Python that every default Django (4.2-6.1) supports.
    minors = sorted(range(lo, min(hi, 20) + 1), key=lambda m: (abs(m - 12), m))
    tried = []
    env_names = ["DJGUARD_ORACLE_PYTHON"]
    if series == "3.2":
        env_names.insert(0, "DJGUARD_ORACLE_PYTHON_LEGACY")
    for name in env_names:
        exe = os.environ.get(name)
        if not exe:
            continue
        found = probe(shutil.which(exe) or exe)
        if found is None:
            raise HarnessError(f"{name}={exe} does not run")
        if found[0] == 3 and lo <= found[1] <= hi:
            return found[2]
        tried.append(f"{exe} (${name}, Python {found[0]}.{found[1]})")
    for exe in candidates(minors):
        found = probe(exe)
        if found and found[0] == 3 and lo <= found[1] <= hi:
            return found[2]
        tried.append(f"{exe} ({'Python %d.%d' % found[:2] if found else 'does not run'})")
    raise HarnessError(
        f"no Python 3.{lo}-3.{hi} found for Django {django_version}. Set "
        f"{env_names[0]} to such an interpreter (for example "
        f"$(pyenv root)/versions/3.{min(max(12, lo), hi)}.X/bin/python3).\n  tried: "
        + ("\n         ".join(tried) or "nothing")
    )


def clean_env(**extra):
    """A minimal environment, so that nothing from the caller leaks into a case."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONHASHSEED": "0",
    }
    # pip needs its proxy and index configuration, if the machine has any.
    for key, value in os.environ.items():
        if key.startswith("PIP_") or key.lower() in ("http_proxy", "https_proxy", "no_proxy"):
            env[key] = value
    env.update(extra)
    return env


# --------------------------------------------------------------------------
# Installing Django

def django_importable(python, target, version):
    code = ("import django, asgiref, sqlparse, os; "
            "print(django.get_version()); print(os.path.dirname(os.path.dirname(django.__file__)))")
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60,
                         env=clean_env(PYTHONPATH=target), cwd=tempfile.gettempdir())
    lines = out.stdout.split()
    return (out.returncode == 0 and len(lines) == 2 and lines[0] == version
            and os.path.realpath(lines[1]) == os.path.realpath(target))


def ensure_django(python, version):
    target = os.path.join(CACHE, "django", version)
    if os.path.isdir(target) and django_importable(python, target, version):
        compile_tree(python, target)
        return target
    if os.path.isdir(target):
        shutil.rmtree(target)  # partial or broken install
    log(f"installing Django {version} into {os.path.relpath(target, REPO)}")
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q",
           "--target", target, f"Django=={version}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                         env=clean_env(PIP_ROOT_USER_ACTION="ignore"))
    if out.returncode != 0 or not django_importable(python, target, version):
        raise HarnessError(f"could not install Django {version} with {python}:\n"
                           f"{out.stdout}{out.stderr}")
    compile_tree(python, target)
    return target


def compile_tree(python, target):
    """Byte-compile the install for this interpreter.

    The oracle runs with PYTHONDONTWRITEBYTECODE (the case directories must
    stay clean), so without .pyc files for exactly this Python every forked
    child would recompile Django from source: about seven times slower.
    """
    subprocess.run([python, "-m", "compileall", "-q", "-j", "0", target],
                   capture_output=True, timeout=900, env=clean_env())


# --------------------------------------------------------------------------
# The oracle

def cases_digest(cases_dir):
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(cases_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, cases_dir).encode() + b"\0")
            with open(path, "rb") as fh:
                digest.update(fh.read() + b"\0")
    return digest.hexdigest()


def run_oracle(python, target, version, cases_dir, digest, jobs, use_cache):
    """Return (results, seconds, cached) for one Django version."""
    details_path = os.path.join(WORK, f"oracle-{version}.details.json")
    with open(os.path.join(HERE, "oracle.py"), "rb") as fh:
        oracle_src = fh.read()
    key = hashlib.sha256(
        "\0".join([version, python, pyversion(python), digest]).encode() + oracle_src
    ).hexdigest()
    if use_cache and os.path.exists(details_path):
        with open(details_path, encoding="utf-8") as fh:
            cached = json.load(fh)
        if cached.get("key") == key:
            return cached["results"], cached.get("seconds", 0.0), True

    started = time.monotonic()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out_path = fh.name
    try:
        cmd = [python, os.path.join(HERE, "oracle.py"),
               "--manifest", os.path.join(cases_dir, generate.MANIFEST),
               "--out", out_path, "-j", str(jobs), "--timeout", str(ORACLE_TIMEOUT)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600,
                              env=clean_env(PYTHONPATH=target), cwd=tempfile.gettempdir())
        if proc.returncode != 0:
            raise HarnessError(f"oracle for Django {version} failed:\n{proc.stdout}{proc.stderr}")
        with open(out_path, encoding="utf-8") as fh:
            report = json.load(fh)
    finally:
        os.unlink(out_path)
    if report["django"] != version:
        raise HarnessError(f"oracle ran Django {report['django']}, not {version}")
    seconds = time.monotonic() - started

    report.update(key=key, seconds=round(seconds, 1))
    with open(details_path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1, sort_keys=True)
    return report["results"], seconds, False


def write_oracle_summary(version, results):
    """The short map for people: case -> sorted IDs, or the not-loadable record."""
    short = {}
    for name, record in sorted(results.items()):
        if record["loadable"]:
            short[name] = record["ids"]
        else:
            short[name] = {"loadable": False, "reason": record["reason"]}
    with open(os.path.join(WORK, f"oracle-{version}.json"), "w", encoding="utf-8") as fh:
        json.dump(short, fh, indent=1, sort_keys=True, ensure_ascii=False)


def reason_class(reason):
    """'setup: ImproperlyConfigured: The ALLOWED_HOSTS ...' -> 'setup: ImproperlyConfigured'."""
    return ": ".join(reason.split(": ")[:2])


# --------------------------------------------------------------------------
# djguard

def run_djguard(djguard, case, cases_dir, version):
    case_dir = os.path.join(cases_dir, case["dir"])
    settings = os.path.join(case_dir, case["settings"])
    cmd = [djguard, "check", case_dir, "--settings", settings, "--select", "django",
           "--format", "json", "--django-version", version, "--no-config"]
    answer = {"cmd": cmd}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=DJGUARD_TIMEOUT,
                              cwd=case_dir, env=clean_env(NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        answer["failure"] = f"timed out after {DJGUARD_TIMEOUT} s"
        return answer
    except OSError as exc:
        answer["failure"] = f"could not run: {exc}"
        return answer
    if proc.returncode not in (0, 1):
        answer["failure"] = f"exit status {proc.returncode}"
        answer["stderr"] = proc.stderr
        return answer
    try:
        doc = json.loads(proc.stdout)
        findings = doc.get("findings", [])
        answer["ids"] = sorted({f["rule"] for f in findings
                                if str(f.get("rule", "")).startswith("security.")})
        answer["findings"] = [f for f in findings if str(f.get("rule", "")).startswith("security.")]
        answer["undecided"] = [u for u in doc.get("undecided", [])
                               if str(u.get("rule", "")).startswith("security.")]
        answer["errors"] = doc.get("errors", [])
    except (ValueError, AttributeError, TypeError, KeyError) as exc:
        answer["failure"] = f"unreadable JSON output ({exc})"
        answer["stderr"] = proc.stderr
        answer["stdout"] = proc.stdout[:2000]
    return answer


# --------------------------------------------------------------------------
# Reporting

def case_source(cases_dir, case):
    root = os.path.join(cases_dir, case["dir"])
    parts = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(".py") or os.path.getsize(path) == 0:
                continue
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            parts.append(f"    --- {os.path.relpath(path, root)}\n"
                         + "".join(f"    | {line}\n" for line in text.splitlines()))
    return "".join(parts)


def show_difference(version, oracle, answer):
    lines = [f"  Django {version}: {oracle['ids']}"]
    if "failure" in answer:
        lines.append(f"  djguard {version}: HARNESS FAILURE ({answer['failure']})")
        lines.append(f"      command: {' '.join(answer['cmd'])}")
        for key in ("stderr", "stdout"):
            if answer.get(key):
                lines += [f"      {key}: {line}" for line in answer[key].rstrip().splitlines()[:30]]
        return lines
    lines.append(f"  djguard {version}: {answer['ids']}")
    missing = sorted(set(oracle["ids"]) - set(answer["ids"]))
    extra = sorted(set(answer["ids"]) - set(oracle["ids"]))
    if missing:
        lines.append(f"      missing (Django only): {missing}")
        for line in oracle.get("output", "").splitlines():
            if any(f"({mid})" in line for mid in missing):
                lines.append(f"        Django: {line.strip()}")
    if extra:
        lines.append(f"      extra (djguard only): {extra}")
        for finding in answer["findings"]:
            if finding.get("rule") in extra:
                where = f"{finding.get('path')}:{finding.get('line')}"
                lines.append(f"        djguard: {finding['rule']} at {where}: {finding.get('message')}")
    for item in answer["undecided"]:
        lines.append(f"      undecided: {item.get('rule')}: {item.get('reason')}")
    for error in answer["errors"]:
        lines.append(f"      djguard error: {error}")
    return lines


# Cases whose answer depends on the machine Django runs on, not on the settings: here, whether
# a package outside the project is installed. A static tool cannot know it and must not guess:
# djguard passes such a case only if it reports every other ID exactly and lists these IDs as
# undecided (with the reason) instead of reporting or dropping them.
ENVIRONMENT_DEPENDENT = {
    "csrf-failure-view-missing-module": {"security.E101", "security.E102"},
}


def case_slug(name):
    return name.split("-", 1)[1] if name[:3].isdigit() else name


def verdict(oracle, answer, slug=""):
    if not oracle["loadable"]:
        return "excluded"
    if "failure" in answer:
        return "failed"
    env = ENVIRONMENT_DEPENDENT.get(slug, set())
    undecided = {item.get("rule") for item in answer["undecided"]}
    if env:
        decided_ok = set(answer["ids"]) == set(oracle["ids"]) - env
        if decided_ok and undecided <= env and (set(oracle["ids"]) & env) <= undecided:
            return "environment"
        return "differing"
    if undecided or set(answer["ids"]) != set(oracle["ids"]):
        return "differing"
    return "identical"


# --------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(
        description="Compare djguard's security.* findings with the real Django's check --deploy.")
    parser.add_argument("--versions", default=DEFAULT_VERSIONS,
                        help=f"comma-separated Django versions (default {DEFAULT_VERSIONS}; "
                             "3.2.25 also works given a Python <= 3.10)")
    parser.add_argument("--djguard", default=os.path.join("target", "debug", "djguard"),
                        help="djguard binary, relative to the repository root unless absolute")
    parser.add_argument("--oracle-only", action="store_true",
                        help="generate cases and run Django only; skip djguard")
    parser.add_argument("--cases", type=int, default=generate.DEFAULT_CASES,
                        help=f"number of cases (default {generate.DEFAULT_CASES})")
    parser.add_argument("--keep", metavar="DIR",
                        help="generate the cases into DIR instead of .cache/differential/cases")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallelism (default 2)")
    parser.add_argument("--no-cache", action="store_true",
                        help="re-run Django even if the cases and versions are unchanged")
    parser.add_argument("--no-source", action="store_true",
                        help="do not print the source of differing cases")
    args = parser.parse_args()

    versions = [v.strip() for v in args.versions.split(",") if v.strip()]
    djguard = args.djguard if os.path.isabs(args.djguard) else os.path.join(REPO, args.djguard)
    if not args.oracle_only and not os.access(djguard, os.X_OK):
        raise HarnessError(f"djguard binary not found at {djguard} (run `cargo build`, "
                           "pass --djguard, or use --oracle-only)")

    os.makedirs(WORK, exist_ok=True)
    # Two runs at once would regenerate the cases under each other's feet.
    lock = open(os.path.join(WORK, ".lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log("another differential run is in progress; waiting for it to finish")
        fcntl.flock(lock, fcntl.LOCK_EX)

    pythons = {v: find_python(v) for v in versions}
    targets = {}
    for version in versions:
        targets[version] = ensure_django(pythons[version], version)

    cases_dir = os.path.abspath(args.keep) if args.keep else os.path.join(WORK, "cases")
    manifest = generate.write(cases_dir, args.cases)
    digest = cases_digest(cases_dir)
    log(f"{len(manifest)} cases in {os.path.relpath(cases_dir)}")

    oracle = {}
    for version in versions:
        results, seconds, cached = run_oracle(pythons[version], targets[version], version,
                                              cases_dir, digest, args.jobs, not args.no_cache)
        oracle[version] = results
        write_oracle_summary(version, results)
        how = "cached result" if cached else f"{seconds:.1f} s"
        loadable = sum(1 for r in results.values() if r["loadable"])
        log(f"Django {version} (Python {pyversion(pythons[version])}, "
            f"{pythons[version]}): {loadable}/{len(results)} loadable, {how}")

    if args.oracle_only:
        for version in versions:
            print(f"Django {version}: {len(oracle[version])} cases")
            excluded = collections.Counter(reason_class(r["reason"])
                                           for r in oracle[version].values() if not r["loadable"])
            for reason, count in sorted(excluded.items()):
                print(f"    not loadable: {count:3d}  {reason}")
        print(f"results in {os.path.relpath(WORK)}/oracle-<version>.json")
        return 0

    started = time.monotonic()
    jobs = [(case, version) for case in manifest for version in versions]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        answers = dict(zip(
            [(case["name"], version) for case, version in jobs],
            pool.map(lambda job: run_djguard(djguard, job[0], cases_dir, job[1]), jobs),
        ))
    log(f"djguard: {len(jobs)} runs in {time.monotonic() - started:.1f} s")

    counts = {v: collections.Counter() for v in versions}
    excluded = {v: collections.Counter() for v in versions}
    for case in manifest:
        lines = []
        for version in versions:
            result = oracle[version][case["name"]]
            answer = answers[(case["name"], version)]
            outcome = verdict(result, answer, case_slug(case["name"]))
            counts[version][outcome] += 1
            if outcome == "excluded":
                excluded[version][reason_class(result["reason"])] += 1
            elif outcome in ("differing", "failed"):
                lines += show_difference(version, result, answer)
        if lines:
            settings = os.path.relpath(os.path.join(cases_dir, case["dir"], case["settings"]))
            print(f"\n=== {case['name']}: {case['description']}")
            print(f"  settings: {settings}  (module {case['module']})")
            if not args.no_source:
                print(case_source(cases_dir, case), end="")
            print("\n".join(lines))

    print("\nSummary (security.* IDs, djguard vs. Django check --deploy)")
    ok = True
    for version in versions:
        c = counts[version]
        compared = c["identical"] + c["environment"] + c["differing"] + c["failed"]
        print(f"  Django {version}: {compared} compared, {c['identical']} identical, "
              f"{c['environment']} environment-dependent (undecided, as designed), "
              f"{c['differing']} differing, {c['failed']} harness failures, "
              f"{c['excluded']} not loadable by Django (excluded)")
        for reason, count in sorted(excluded[version].items()):
            print(f"      excluded {count:3d}: {reason}")
        ok = ok and compared == c["identical"] + c["environment"]
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HarnessError as exc:
        log(f"error: {exc}")
        sys.exit(2)
