#!/usr/bin/env python3
"""Parse a pip requirements file with pip's own parser and print JSON.

This is the oracle for djguard's Rust requirements.txt parser: the JSON it
prints is committed as `expected_pip_parse.json` next to the fixture files.

It drives pip's *internal* API (`pip._internal.req.req_file`), which is not
stable across pip releases, so run it with the pip pinned by
scripts/gen_lock_fixtures.sh (the version used is recorded in the output).

Usage:
    pip_parse_requirements.py [--constraint] [--env NAME=VALUE ...] FILE

It runs from the directory of FILE (pip resolves relative paths such as
`-e ./libs/app` against the working directory). The process environment is cleared before parsing so that `${VAR}` expansion
is deterministic: only variables given with --env are visible to pip (and the
pip configuration files / PIP_* variables are ignored). All file paths in the
output are relative to the directory of FILE, using forward slashes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", help="requirements file to parse")
    ap.add_argument(
        "--constraint",
        action="store_true",
        help="parse FILE as a constraints file (as with pip -c)",
    )
    ap.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment variable visible to ${NAME} expansion (repeatable)",
    )
    args = ap.parse_args()

    env: dict[str, str] = {}
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep:
            ap.error(f"--env expects NAME=VALUE, got {item!r}")
        env[name] = value

    top = os.path.abspath(args.file)
    base_dir = os.path.dirname(top)
    # pip resolves relative paths on requirement lines (e.g. `-e ./libs/x`)
    # against the working directory: parse as if run next to the file.
    os.chdir(base_dir)

    # Deterministic environment: nothing but --env, and no pip config files.
    os.environ.clear()
    os.environ.update(env)
    os.environ["PIP_CONFIG_FILE"] = os.devnull
    os.environ["PIP_NO_INPUT"] = "1"

    from pip._internal.commands import create_command

    def rel(path: str) -> str:
        if "://" in path:
            return path
        return os.path.relpath(os.path.abspath(path), base_dir).replace(os.sep, "/")

    def plain(value: Any) -> Any:
        """Make option values JSON-serialisable and deterministic."""
        if isinstance(value, (set, frozenset)):
            return sorted(plain(v) for v in value)
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items())}
        if hasattr(value, "__slots__") and not isinstance(value, (str, bytes)):
            return {
                s: plain(getattr(value, s))
                for s in value.__slots__
                if not s.startswith("_") and hasattr(value, s)
            }
        if hasattr(value, "__dict__") and not isinstance(value, type):
            return {k: plain(v) for k, v in vars(value).items() if not k.startswith("_")}
        return value

    # A real `pip install` finder/session, so option lines (--index-url, -i,
    # --extra-index-url, --find-links, --pre, --only-binary ...) have exactly
    # the effect they have in pip.
    cmd = create_command("install")
    options, _ = cmd.parse_args([])
    with cmd.main_context():
        return run(cmd, options, top, base_dir, env, args.constraint, rel, plain)


def run(cmd, options, top, base_dir, env, constraint, rel, plain):  # type: ignore[no-untyped-def]
    import pip
    from pip._internal.req import req_file
    from pip._internal.req.constructors import install_req_from_parsed_requirement

    session = cmd.get_default_session(options)
    finder = cmd._build_package_finder(options, session)

    # Default values of per-line options, to report only what a line sets.
    defaults = vars(req_file.build_parser().get_default_values())
    defaults["index_url"] = None

    # Tap every parsed line (including -r/-c lines, which pip consumes while
    # recursing) in the order pip reads them.
    # The logical line text pip hands to its option parser (after joining
    # continuations, stripping comments and expanding ${VAR}) is captured by
    # wrapping the line parser; it is re-parsed without a finder to get the
    # options set by that line alone (with a finder, --only-binary/--pre
    # mutate shared state and would show up on every later line).
    tapped: list[tuple[req_file.ParsedLine, str]] = []
    raw_lines: list[str] = []
    isolated_parser = req_file.get_line_parser(None)
    orig_get_line_parser = req_file.get_line_parser

    def tap_get_line_parser(finder):  # type: ignore[no-untyped-def]
        inner = orig_get_line_parser(finder)

        def parse_line(line: str):  # type: ignore[no-untyped-def]
            raw_lines.append(line)
            return inner(line)

        return parse_line

    orig_parse_file = req_file.RequirementsFileParser._parse_file

    def tap_parse_file(self, filename, constraint):  # type: ignore[no-untyped-def]
        for line in orig_parse_file(self, filename, constraint):
            tapped.append((line, raw_lines[-1]))
            yield line

    req_file.get_line_parser = tap_get_line_parser  # type: ignore[assignment]
    req_file.RequirementsFileParser._parse_file = tap_parse_file  # type: ignore[method-assign]

    requirements: list[dict[str, Any]] = []
    for parsed in req_file.parse_requirements(
        top, session, finder=finder, options=options, constraint=constraint
    ):
        line, text = tapped[-1]
        assert line.requirement == parsed.requirement
        entry: dict[str, Any] = {
            "requirement": parsed.requirement,
            "editable": parsed.is_editable,
            "constraint": parsed.constraint,
            "file": rel(line.filename),
            "line": line.lineno,
            "text": text,
            "options": plain(parsed.options or {}),
        }
        try:
            ireq = install_req_from_parsed_requirement(parsed)
        except Exception as exc:  # pip rejects it when building the InstallRequirement
            entry["error"] = str(exc).replace(base_dir + os.sep, "")
        else:
            entry["name"] = ireq.name
            entry["specifier"] = str(ireq.specifier) if ireq.req else None
            entry["extras"] = sorted(ireq.extras)
            entry["marker"] = str(ireq.markers) if ireq.markers else None
            link = ireq.link
            if link is None:
                entry["url"] = None
            elif link.is_file:
                entry["url"] = None
                entry["local_path"] = rel(link.file_path)
            else:
                entry["url"] = link.url
            entry["is_direct"] = ireq.is_direct
        requirements.append(entry)

    option_lines: list[dict[str, Any]] = []
    for line, text in tapped:
        if line.requirement is not None:
            continue
        _, line_opts = isolated_parser(text)
        opts = {}
        for k, v in sorted(vars(line_opts).items()):
            v = plain(v)
            if v == plain(defaults.get(k)) or v in (None, [], False):
                continue
            opts[k] = v
        option_lines.append(
            {
                "file": rel(line.filename),
                "line": line.lineno,
                "constraint": line.constraint,
                "text": text,
                "options": opts,
            }
        )

    result = {
        "generator": "scripts/pip_parse_requirements.py",
        "pip_version": pip.__version__,
        "file": os.path.basename(top),
        "parsed_as_constraint": constraint,
        "env": dict(sorted(env.items())),
        "requirements": requirements,
        "option_lines": option_lines,
        "effective": {
            "index_urls": list(finder.index_urls),
            "find_links": [rel(f) for f in finder.find_links],
            "format_control": plain(finder.format_control),
            "release_control": plain(finder.release_control),
        },
    }
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
