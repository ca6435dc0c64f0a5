"""What the Python harnesses under tests/ (formats, html, packaging) share: the list of
failed checks, the check that records one, and a private venv with pinned tools from PyPI."""

import os
import subprocess
import sys

failures = []


def check(cond, what):
    """Record `what` as a failure unless `cond` holds; returns `cond`."""
    if not cond:
        failures.append(what)
        print(f"  FAIL {what}")
    return cond


def tool_venv(path, requirements, marker):
    """A venv at `path` with `requirements` installed (once: when `bin/<marker>` is missing);
    returns its bin folder."""
    bin_ = os.path.join(path, "bin")
    if not os.path.exists(os.path.join(bin_, marker)):
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
        subprocess.run([os.path.join(bin_, "python"), "-m", "pip", "install", "-q", *requirements], check=True)
    return bin_
