#!/usr/bin/env python3
"""Checks the ways djguard is installed (issue 16):

  wheel       `maturin build` makes a wheel with the binary (dev profile, sharing the
              workspace's target folder); installed with `pip install --no-index` into a fresh
              virtual environment, `djguard` is on PATH there and audits the example project
              exactly as the workspace's own build does;
  pre-commit  the real pre-commit from PyPI runs this repository's hook
              (`.pre-commit-hooks.yaml`) with `pre-commit try-repo` on a temporary git
              repository holding the example project: it installs djguard from the repository
              as a Python package and reports the findings (exit 1);
  action      `action.yml` is valid against the GitHub Actions schema check-jsonschema ships,
              and its shell steps run here as a runner runs them (`bash --noprofile --norc -eo
              pipefail`, the step's env with its `${{ }}` expressions evaluated, GITHUB_OUTPUT,
              GITHUB_PATH, RUNNER_TEMP, GITHUB_WORKSPACE): it installs djguard from this
              source, writes SARIF, records the exit status, fails the job on findings, passes
              with a baseline, and treats hostile inputs as arguments, never as commands. The
              upload step (GitHub's own action) cannot run here: its `sarif_file` must name the
              SARIF written, and its condition must skip it when none was.

Usage:  python3 tests/packaging/run.py [--skip-pre-commit] [--only wheel|pre-commit|action]
maturin, pre-commit and check-jsonschema are installed into .cache/packaging/venv on first run. Exit status 0
when every check passes, 1 otherwise, 2 when the harness cannot run.
"""

import argparse
import json
import os
import re
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
CHECK_JSONSCHEMA = "check-jsonschema==0.39.0"

sys.path.insert(0, os.path.dirname(HERE))
from harness import check, failures, tool_venv  # noqa: E402  (shared by the harnesses)


def tools():
    return tool_venv(os.path.join(CACHE, "venv"), [MATURIN, PRE_COMMIT, CHECK_JSONSCHEMA], "check-jsonschema")


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


EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text, inputs, outputs):
    """The `${{ }}` expressions the action's env and `with` use: inputs, the action's path and
    earlier steps' outputs. Anything else is an error (the harness would not know its value)."""
    def one(m):
        expr = m.group(1)
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        if expr == "github.action_path":
            return ROOT
        if expr.startswith("steps."):
            step, kind, name = expr[len("steps."):].split(".", 2)
            assert kind == "outputs", expr
            return outputs.get(step, {}).get(name, "")
        raise ValueError(f"expression the harness cannot evaluate: {expr}")
    return EXPR.sub(one, str(text))


def condition(text, inputs, outputs):
    """A step's `if`: `&&` of `always()`, `success()` and `REF == 'literal'` / `REF != 'literal'`
    (what action.yml uses; anything else is an error)."""
    text = text.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    value = True
    for term in (t.strip() for t in text.split("&&")):
        if term in ("always()", "success()"):
            continue
        m = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", term)
        if not m:
            raise ValueError(f"condition the harness cannot evaluate: {term}")
        got = evaluate("${{ " + m.group(1) + " }}", inputs, outputs)
        # GitHub compares strings ignoring case (`upload: True` is 'true').
        value = value and ((got.lower() == m.group(3).lower()) == (m.group(2) == "=="))
    return value


def read_outputs(path):
    """GITHUB_OUTPUT's `name=value` lines (and `name<<DELIM` blocks)."""
    out, lines = {}, open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1:j])
            i = j + 1
            continue
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
        i += 1
    return out


class Runner:
    """Runs the action's `run` steps as a GitHub runner does, one job at a time."""

    def __init__(self, action, workspace, temp):
        self.action, self.workspace, self.temp = action, workspace, temp
        self.path_file = os.path.join(temp, "github_path")
        open(self.path_file, "w").close()

    def job(self, inputs, skip_install=False):
        """Every step of the action for these inputs; returns (step results, outputs, upload)."""
        defaults = {k: str(v.get("default", "")) for k, v in self.action["inputs"].items()}
        inputs = {**defaults, **inputs}
        outputs, results, upload, failed = {}, {}, None, False
        for step in self.action["runs"]["steps"]:
            sid = step.get("id", step["name"])
            cond = step.get("if", "success()")
            runs = condition(cond, inputs, outputs) and (not failed or "always()" in cond)
            if "uses" in step:
                # Evaluated, not run: whether it would run, what it would upload, under which
                # category, and that its failure cannot decide the job.
                upload = (runs, evaluate(step["with"]["sarif_file"], inputs, outputs),
                          evaluate(step["with"]["category"], inputs, outputs),
                          step.get("continue-on-error") is True)
                continue
            if (skip_install and sid == "install") or not runs:
                continue
            assert step["shell"] == "bash", step["shell"]
            out_file = os.path.join(self.temp, f"output-{sid}")
            open(out_file, "w").close()
            extra_path = [l for l in open(self.path_file).read().splitlines() if l]
            env = dict(os.environ,
                       GITHUB_OUTPUT=out_file, GITHUB_PATH=self.path_file, RUNNER_TEMP=self.temp,
                       GITHUB_WORKSPACE=self.workspace, GITHUB_ACTION_PATH=ROOT, GITHUB_ACTIONS="true",
                       CI="true", PATH=os.pathsep.join(extra_path[::-1] + [os.environ["PATH"]]),
                       # The source build: a dev wheel sharing the workspace's compiled crates.
                       MATURIN_PEP517_ARGS="--profile dev", CARGO_TARGET_DIR=os.path.join(ROOT, "target"))
            for k, v in step.get("env", {}).items():
                env[k] = evaluate(v, inputs, outputs)
            script = os.path.join(self.temp, f"step-{sid}.sh")
            with open(script, "w") as f:
                f.write(step["run"])
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                               cwd=self.workspace, env=env, capture_output=True, text=True)
            results[sid] = p
            outputs[sid] = read_outputs(out_file)
            failed = failed or p.returncode != 0
        return results, outputs, upload


def verdict(results, says="::error"):
    """The last step's exit status and whether it printed `says` (None when it did not run)."""
    p = results.get("Verdict")
    return (p.returncode, says in p.stdout) if p else (None, False)


def action(bin_):
    print("== action.yml")
    before = len(failures)
    p = subprocess.run([os.path.join(bin_, "check-jsonschema"), "--builtin-schema", "vendor.github-actions",
                        os.path.join(ROOT, "action.yml")], capture_output=True, text=True)
    check(p.returncode == 0, f"action.yml is not valid against the GitHub Actions schema:\n{p.stdout}{p.stderr}")
    if p.returncode == 0:
        print("  valid against check-jsonschema's vendor.github-actions schema")
    parsed = subprocess.run([os.path.join(bin_, "python"), "-c",
                             "import json, sys\nfrom ruamel.yaml import YAML\n"
                             "print(json.dumps(YAML(typ='safe').load(open(sys.argv[1]))))",
                             os.path.join(ROOT, "action.yml")], capture_output=True, text=True, check=True)
    spec = json.loads(parsed.stdout)
    work = tempfile.mkdtemp(prefix="djguard-action-")
    temp = tempfile.mkdtemp(prefix="djguard-runner-temp-")
    try:
        shutil.copytree(EXAMPLE, os.path.join(work, "site"))
        runner = Runner(spec, work, temp)
        # 1. Defaults: installs from this source, findings fail the job after the SARIF is written.
        results, outputs, upload = runner.job({"path": "site"})
        install = results.get("install")
        if not check(install is not None and install.returncode == 0,
                     f"install step failed: {install.stderr[-1500:] if install else 'not run'}"):
            return
        print(f"  installed from source: {install.stdout.strip().splitlines()[-1]}")
        check(outputs["check"].get("exit-code") == "1", f"exit-code {outputs['check']} (findings expected)")
        sarif = os.path.join(work, outputs["check"].get("sarif-file", "missing"))
        if check(os.path.exists(sarif), "no SARIF written"):
            doc = json.load(open(sarif))
            check(doc["version"] == "2.1.0" and doc["runs"][0]["results"], "the SARIF has no results")
            print(f"  SARIF: {len(doc['runs'][0]['results'])} results; upload step would send {upload[1]}")
        check(upload[0] and os.path.join(work, upload[1]) == sarif, f"upload step: {upload}")
        check(upload[2] == "djguard/site" and upload[3], f"upload category and continue-on-error: {upload}")
        on_path = [l for l in open(runner.path_file).read().splitlines() if l]
        for d in on_path:
            check(sorted(os.listdir(d)) == ["djguard"], f"GITHUB_PATH adds {d}: {os.listdir(d)}")
        check(verdict(results) == (1, True), f"verdict on findings: {verdict(results)}")
        # 2. A baseline of today's findings: the gate passes.
        subprocess.run([os.path.join(temp, "djguard-venv", "bin", "djguard"), "check", "site",
                        "--write-baseline", "site/baseline.json"], cwd=work, capture_output=True,
                       env=dict(os.environ, DJGUARD_OFFLINE="1"))
        results, outputs, _ = runner.job({"path": "site", "baseline": "site/baseline.json"}, skip_install=True)
        check(outputs["check"].get("exit-code") == "0" and verdict(results)[0] == 0,
              f"with a baseline: {outputs['check']} {verdict(results)}")
        # 3. settings, args over several lines, fail-on, category, upload: passed through as
        #    arguments; the SARIF equals a direct run with the same arguments.
        args = ["--min-confidence", "high", "--select", "security"]
        results, outputs, upload = runner.job({"path": "site", "settings": "mysite.settings.production",
                                               "args": " ".join(args[:2]) + "\n" + " ".join(args[2:]),
                                               "fail-on": "critical", "upload": "False",
                                               "sarif-file": "out/x.sarif", "category": "mine"},
                                              skip_install=True)
        check(outputs["check"].get("exit-code") == "0" and verdict(results)[0] == 0,
              f"fail-on critical: {outputs['check']}")
        check(not upload[0] and upload[2] == "mine", f"upload: False still uploads, or category lost: {upload}")
        direct = subprocess.run([os.path.join(temp, "djguard-venv", "bin", "djguard"), "check", "site",
                                 "--settings", "mysite.settings.production", *args, "--format", "sarif"],
                                cwd=work, capture_output=True, text=True, env=dict(os.environ, DJGUARD_OFFLINE="1"))
        got = os.path.join(work, "out", "x.sarif")
        if check(os.path.exists(got), "sarif-file out/x.sarif not written"):
            ids = lambda doc: sorted(r["ruleId"] for r in json.loads(doc)["runs"][0]["results"])
            mine = ids(open(got).read())
            check(mine == ids(direct.stdout) and mine and all(i.startswith("security") for i in mine),
                  f"the action's SARIF differs from a direct run with the same arguments: {mine}")
        # 4. Hostile inputs are arguments, never commands; no SARIF means no upload.
        marker = os.path.join(work, "PWNED")
        hostile = f"site; touch {marker} $(touch {marker}) `touch {marker}` \" '"
        results, outputs, upload = runner.job({"path": hostile, "settings": hostile, "baseline": ""},
                                              skip_install=True)
        check(not os.path.exists(marker), "a hostile input ran as a command")
        check(outputs["check"].get("exit-code") == "2", f"hostile path: exit-code {outputs['check']}")
        check(not upload[0], "the upload step would run without a SARIF file")
        check(verdict(results, "could not audit") == (1, True), f"verdict on an error: {verdict(results)}")
        if len(failures) == before:
            print("  shell steps: findings fail the job after the SARIF, a baseline passes, inputs stay arguments")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(temp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-pre-commit", action="store_true")
    ap.add_argument("--only", choices=["wheel", "pre-commit", "action"])
    args = ap.parse_args()
    if not os.path.exists(os.path.join(ROOT, "target", "debug", "djguard")):
        print("no target/debug/djguard (cargo build -p djguard)")
        return 2
    try:
        bin_ = tools()
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"cannot install maturin and pre-commit: {e}")
        return 2
    if args.only in (None, "wheel"):
        wheel(bin_)
    if args.only in (None, "pre-commit") and not args.skip_pre_commit:
        pre_commit(bin_)
    if args.only in (None, "action"):
        action(bin_)
    print("RESULT:", "PASS" if not failures else f"FAIL ({len(failures)})")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
