"""Ask a real Django which security.* checks `check --deploy` reports.

Runs inside the interpreter chosen by run.py, with PYTHONPATH pointing at one
installed Django version. Django is imported once; every case runs in a forked
child so that settings, the app registry and imported project modules never
leak from one case into the next.

    python oracle.py --manifest cases.json --out results.json [-j N] [--timeout S]

The output maps each case name to either
    {"loadable": true, "ids": [...], "all_ids": [...], "output": "..."}
or
    {"loadable": false, "reason": "<phase>: <ExceptionClass>: <first line>"}
where phase is "setup" (settings or apps could not load), "check" (the check
command itself crashed), "timeout" or "crash" (the child died).
"""

import argparse
import io
import json
import os
import re
import signal
import sys
import tempfile
import time
import traceback

SECURITY_ID = re.compile(r"\((security\.[A-Z]\d{3})\)")
ANY_ID = re.compile(r"\(([a-z_0-9]+\.[A-Z]\d{3})\)")


def first_line(text):
    text = str(text).strip()
    return text.splitlines()[0] if text else ""


def describe(exc):
    return f"{type(exc).__name__}: {first_line(exc)}"


def run_case(case):
    """Body of the forked child. Returns the result record."""
    os.environ["DJANGO_SETTINGS_MODULE"] = case["module"]
    sys.path.insert(0, case["dir"])
    os.chdir(case["dir"])

    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        django.setup()
    except BaseException as exc:  # anything, including SystemExit from odd settings
        return {"loadable": False, "reason": "setup: " + describe(exc)}

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check", deploy=True, stdout=out, stderr=err, no_color=True)
    except SystemCheckError as exc:
        # Errors at or above --fail-level abort the command; the full report
        # (warnings included) is the exception message.
        err.write(str(exc))
    except BaseException as exc:
        return {
            "loadable": False,
            "reason": "check: " + describe(exc),
            "traceback": traceback.format_exc(),
        }
    text = out.getvalue() + err.getvalue()
    return {
        "loadable": True,
        "ids": sorted(set(SECURITY_ID.findall(text))),
        "all_ids": sorted(set(ANY_ID.findall(text))),
        "output": text,
    }


def child(case, result_path):
    # Stray prints and warnings must not reach the parent's streams.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        result = run_case(case)
    except BaseException as exc:
        result = {"loadable": False, "reason": "crash: " + describe(exc)}
    try:
        with open(result_path, "w", encoding="utf-8") as fh:
            json.dump(result, fh)
    finally:
        os._exit(0)


# Modules nearly every child imports. Importing them once in the parent halves
# the time per case. A module that read settings at import time would raise
# here (settings are not configured in the parent), so whatever does import
# cleanly cannot carry state from one case into another.
WARM_MODULES = [
    "django.core.checks", "django.core.management", "django.core.management.commands.check",
    "django.db.models", "django.forms", "django.http", "django.urls",
    "django.template.defaulttags", "django.template.loader_tags",
    "django.middleware.common", "django.middleware.csrf", "django.middleware.security",
    "django.middleware.clickjacking", "django.views.csrf", "django.core.serializers.json",
    "django.contrib.auth.hashers", "sqlite3",
]


def warm_up():
    import importlib

    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:
            pass


def clean_environment():
    # Django reads a few DJANGO_* variables itself (DJANGO_ALLOW_ASYNC_UNSAFE
    # adds async.E001, DJANGO_SETTINGS_MODULE picks the settings); none may
    # come from the caller.
    for key in list(os.environ):
        if key.startswith("DJANGO_"):
            del os.environ[key]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    clean_environment()
    with open(args.manifest, encoding="utf-8") as fh:
        cases = json.load(fh)["cases"]
    root = os.path.dirname(os.path.abspath(args.manifest))
    for case in cases:
        case["dir"] = os.path.join(root, case["dir"])

    import django

    warm_up()

    results = {}
    pending = list(enumerate(cases))
    running = {}  # pid -> (case, result_path, started)
    with tempfile.TemporaryDirectory(prefix="djguard-oracle-") as tmp:
        while pending or running:
            while pending and len(running) < max(1, args.jobs):
                index, case = pending.pop(0)
                result_path = os.path.join(tmp, f"{index}.json")
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    child(case, result_path)
                running[pid] = (case, result_path, time.monotonic())

            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                now = time.monotonic()
                for pid, (case, _, started) in list(running.items()):
                    if now - started > args.timeout:
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        del running[pid]
                        results[case["name"]] = {
                            "loadable": False,
                            "reason": f"timeout: no answer within {args.timeout:g} s",
                        }
                time.sleep(0.002)
                continue
            if pid not in running:
                continue
            case, result_path, _ = running.pop(pid)
            try:
                with open(result_path, encoding="utf-8") as fh:
                    results[case["name"]] = json.load(fh)
            except (OSError, ValueError):
                if os.WIFSIGNALED(status):
                    why = f"killed by signal {os.WTERMSIG(status)}"
                else:
                    why = f"exit status {os.WEXITSTATUS(status)}"
                results[case["name"]] = {"loadable": False, "reason": f"crash: {why}"}

    report = {
        "django": django.get_version(),
        "django_path": os.path.dirname(django.__file__),
        "python": sys.version.split()[0],
        "results": {name: results[name] for name in sorted(results)},
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
