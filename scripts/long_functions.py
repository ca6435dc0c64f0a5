#!/usr/bin/env python3
"""List Rust functions longer than a limit (issue 15: "no function over 120 lines outside tables
of one-line arms").

    python3 scripts/long_functions.py [--limit 120] [PATH ...]      (default: crates/)

A function runs from its `fn` line to the closing brace at the same indentation (rustfmt's
layout). Functions whose body is mostly one-line `match` arms (`pattern => value,`: at least
80 % of the lines) are tables and are listed apart. Test code (`tests/`, `*_tests.rs`,
`#[cfg(test)]` modules at the end of a file) is skipped. Exit 1 when a non-table function is over
the limit. Standard library only.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import sys

FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")
ARM = re.compile(r"^\s*[^/].*=>\s*[^{]*,\s*$")


def functions(path: pathlib.Path):
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    # Stop at a trailing test module.
    end = len(lines)
    for i, line in enumerate(lines):
        if line.startswith("#[cfg(test)]"):
            end = i
            break
    i = 0
    while i < end:
        m = FN.match(lines[i])
        if not m or lines[i].rstrip().endswith(";"):
            i += 1
            continue
        indent = m.group(1)
        close = indent + "}"
        j = i + 1
        while j < end and lines[j].rstrip() != close:
            j += 1
        body = lines[i + 1 : j]
        arms = sum(1 for b in body if ARM.match(b))
        yield m.group(7), i + 1, j - i + 1, bool(body) and arms >= 0.8 * len(body)
        i += 1  # nested functions are listed too


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=120)
    parser.add_argument("paths", nargs="*", default=["crates"])
    args = parser.parse_args()
    long, tables = [], []
    for root in args.paths:
        for path in sorted(pathlib.Path(root).rglob("*.rs")):
            rel = str(path)
            if "/tests/" in rel or rel.endswith("_tests.rs") or "/target/" in rel:
                continue
            for name, line, length, table in functions(path):
                if length > args.limit:
                    (tables if table else long).append((length, f"{rel}:{line}", name))
    for title, rows in (("over the limit", long), ("tables of one-line arms", tables)):
        print(f"{len(rows)} function(s) {title} ({args.limit} lines):")
        for length, where, name in sorted(rows, reverse=True):
            print(f"  {length:5}  {name}  {where}")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
