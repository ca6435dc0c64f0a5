#!/usr/bin/env python3
"""Checks the ways djguard is installed (issue 16):

  wheel       `maturin build` makes a wheel with the binary (dev profile, sharing the
              workspace's target folder); installed with `pip install --no-index` into a fresh
              virtual environment, `djguard` is on PATH there and audits the example project
              exactly as the workspace's own build does;
  pre-commit  the real pre-commit from PyPI runs this repository's hook
              (`.pre-commit-hooks.yaml`) with `pre-commit try-repo` on a temporary git
              repository holding the example project: it installs djguard from the repository
              as a Python package and reports the findings (exit 1).

Usage:  python3 tests/packaging/run.py [--skip-pre-commit]
maturin and pre-commit are installed into .cache/packaging/venv on first run. Exit status 0
when every check passes, 1 otherwise, 2 when the harness cannot run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, ".cache", "packaging")
EXAMPLE = os.path.join(ROOT, "examples", "mysite")
MATURIN = "maturin==1.16.0"
PRE_COMMIT = "pre-commit==4.5.0"

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"  FAIL {what}")
    return cond


def tools():
    venv = os.path.join(CACHE, "venv")
    bin_ = os.path.join(venv, "bin")
    if not os.path.exists(os.path.join(bin_, "pre-commit")):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(bin_, "python"), "-m", "pip", "install", "-q", MATURIN, PRE_COMMIT],
                       check=True)
    return bin_


def audit(djguard, cwd=None):
    p = subprocess.run([djguard, "check", EXAMPLE, "--offline", "--format", "json"],
                       capture_output=True, text=True, cwd=cwd, env=dict(os.environ, DJGUARD_OFFLINE="1"))
    try:
        return p.returncode, json.loads(p.stdout)
    except json.JSONDecodeError:
        return p.returncode, {"stderr": p.stderr[-500:]}


def wheel(bin_):
    print("== wheel")
    out = tempfile.mkdtemp(prefix="djguard-wheel-")
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target"))
    p = subprocess.run([os.path.join(bin_, "maturin"), "build", "--profile", "dev", "-o", out],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    if not check(p.returncode == 0, f"maturin build failed: {p.stderr[-1500:]}"):
        return
    wheels = [f for f in os.listdir(out) if f.endswith(".whl")]
    if not check(len(wheels) == 1, f"expected one wheel, got {wheels}"):
        return
    print(f"  built {wheels[0]} ({os.path.getsize(os.path.join(out, wheels[0])) // 1024} KiB)")
    venv = tempfile.mkdtemp(prefix="djguard-venv-")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "--no-index",
                          os.path.join(out, wheels[0])], capture_output=True, text=True)
    if not check(pip.returncode == 0, f"pip install of the wheel failed: {pip.stderr[-800:]}"):
        return
    installed = os.path.join(venv, "bin", "djguard")
    check(os.path.exists(installed), "the wheel puts no djguard on the venv's PATH")
    version = subprocess.run([installed, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"  installed: {version}")
    check(version.startswith("djguard "), f"--version says {version!r}")
    # Outside the repository, so nothing but the installed binary is used.
    code, doc = audit(installed, cwd=tempfile.gettempdir())
    ref_code, ref = audit(os.path.join(ROOT, "target", "debug", "djguard"))
    check(code == 1, f"the installed djguard exits {code} on the example ({doc.get('stderr', '')})")
    check([f["fingerprint"] for f in doc.get("findings", [])] == [f["fingerprint"] for f in ref.get("findings", [])],
          "the installed djguard reports other findings than the workspace build")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(venv, ignore_errors=True)


def pre_commit(bin_):
    print("== pre-commit try-repo")
    repo = tempfile.mkdtemp(prefix="djguard-precommit-")
    home = tempfile.mkdtemp(prefix="djguard-precommit-home-")
    try:
        shutil.copytree(EXAMPLE, repo, dirs_exist_ok=True)
        git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)
        git("init", "-q")
        git("add", "-A")
        git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-q", "-m", "example")
        env = dict(
            os.environ,
            PRE_COMMIT_HOME=home,
            # The hook's wheel: a dev build sharing the workspace's compiled dependencies.
            MATURIN_PEP517_ARGS="--profile dev",
            CARGO_TARGET_DIR=os.path.join(ROOT, "target"),
            DJGUARD_OFFLINE="1",
        )
        p = subprocess.run([os.path.join(bin_, "pre-commit"), "try-repo", ROOT, "djguard", "--all-files",
                            "--verbose"], cwd=repo, env=env, capture_output=True, text=True)
        out = p.stdout + p.stderr
        check(p.returncode == 1, f"pre-commit exits {p.returncode}, expected 1 (findings):\n{out[-2000:]}")
        check("djguard" in out and "Failed" in out, f"the hook did not run djguard:\n{out[-2000:]}")
        check("security.W" in out or "DJG" in out, f"no finding in the hook's output:\n{out[-2000:]}")
        if p.returncode == 1 and "Failed" in out:
            print("  the hook installed djguard from the repository and reported the example's findings")
    finally:
        shutil.rmtree(repo, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-pre-commit", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(ROOT, "target", "debug", "djguard")):
        print("no target/debug/djguard (cargo build -p djguard)")
        return 2
    try:
        bin_ = tools()
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"cannot install maturin and pre-commit: {e}")
        return 2
    wheel(bin_)
    if not args.skip_pre_commit:
        pre_commit(bin_)
    print("RESULT:", "PASS" if not failures else f"FAIL ({len(failures)})")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
