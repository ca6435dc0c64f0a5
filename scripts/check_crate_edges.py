#!/usr/bin/env python3
"""The workspace's architecture, checked (issue 15): which djguard crate may depend on which,
and which crates must stay lean (no async runtime, HTTP or TLS crate anywhere below them).

    python3 scripts/check_crate_edges.py

Reads `cargo metadata` for the edges between workspace crates (normal, dev and build
dependencies alike: a test may not reach up either) and `cargo tree -e normal` for what each
lean crate links. Prints both and exits 1 on any edge not listed in ALLOWED or any forbidden
crate under a lean one. Standard library only.
"""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The layers, bottom to top. A crate may depend only on the crates listed for it.
ALLOWED: dict[str, set[str]] = {
    # The vocabulary: findings, rule metadata, suppressions, report types.
    "djguard_core": set(),
    # The ruff parser behind one interface, and semantic helpers.
    "djguard_python": set(),
    # Build-time only: collects a rule crate's rule documentation (its build scripts use it).
    "djguard_ruledocs": set(),
    # Project model, settings, code and template audits and their rules.
    "djguard_static": {"djguard_core", "djguard_python", "djguard_ruledocs"},
    # Requirement, manifest and lock files against advisories (no Python parsing).
    "djguard_deps": {"djguard_core", "djguard_ruledocs"},
    # The live checkup and its network stack.
    "djguard_scan": {"djguard_core", "djguard_ruledocs"},
    # Text and JSON output of a finished report.
    "djguard_render": {"djguard_core"},
    # The binary: CLI, configuration, orchestration, the rule registry.
    "djguard": {
        "djguard_core",
        "djguard_python",
        "djguard_static",
        "djguard_deps",
        "djguard_scan",
        "djguard_render",
    },
}

# Crates that must build without any async, HTTP or TLS crate.
LEAN = ["djguard_core", "djguard_python", "djguard_ruledocs", "djguard_static", "djguard_render"]
FORBIDDEN = {
    "tokio", "mio", "hyper", "hyper-util", "h2", "http", "reqwest", "ureq", "async-std",
    "futures", "rustls", "tokio-rustls", "native-tls", "openssl", "ring", "webpki-roots",
}


def main() -> int:
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )
    members = {p["name"]: p for p in meta["packages"]}
    problems: list[str] = []
    unknown = sorted(set(members) - set(ALLOWED))
    for name in unknown:
        problems.append(f"{name}: a workspace crate this script does not know; add it to ALLOWED")
    print("edges between workspace crates:")
    for name in sorted(members):
        deps = sorted(
            {(d["name"], d["kind"] or "normal") for d in members[name]["dependencies"]
             if d["name"] in members}
        )
        shown = ", ".join(f"{d}" + ("" if k == "normal" else f" ({k})") for d, k in deps)
        print(f"  {name} -> {shown or '(none)'}")
        for dep, kind in deps:
            if dep not in ALLOWED.get(name, set()):
                problems.append(f"{name} -> {dep} ({kind}): not an allowed edge")
    print("lean crates (normal dependencies, from cargo tree):")
    for name in LEAN:
        tree = subprocess.run(
            ["cargo", "tree", "-e", "normal", "-p", name, "--prefix", "none", "--format", "{p}"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
        linked = {line.split()[0] for line in tree.splitlines() if line.strip()}
        bad = sorted(linked & FORBIDDEN)
        print(f"  {name}: {len(linked)} crates, " + (f"FORBIDDEN {bad}" if bad else "no async/HTTP/TLS crate"))
        for b in bad:
            problems.append(f"{name} links {b}: lean crates take no async, HTTP or TLS crate")
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
