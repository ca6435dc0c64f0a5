#!/usr/bin/env python3
"""Independent OSV evaluator for PyPI advisories, used as the oracle in
tests/deps/run.py.

Needs `packaging` and `pyyaml` (run.py provides them in a private venv).

Usage:
    python osv_oracle.py VULNS_DIR            # JSON on stdout
    python osv_oracle.py --explain VULNS_DIR  # reads mismatch queries (JSON list of
                                              # {package, version, kind, ids}) on stdin,
                                              # prints one reason guess per query

The JSON object it prints:

    {
      "packages": {
        "<normalized name>": {
          "records": [ids of the non-withdrawn records for this package],
          "candidates": [
            {"version": "4.2.14",
             "groups": [[sorted ids+aliases of one vulnerability], ...],
             "fix": "4.2.16" | null,         # see pick_fix
             "fix_final": "4.2.16" | null,   # same, ignoring pre-release fixed values
             "prerelease": false},
            ...
          ]
        }, ...
      },
      "groups": {"<package>": [[ids...], ...]},   # every vulnerability group
      "withdrawn": [{"id", "package", "path"}],
      "invalid": [{"path", "id", "field", "value"}],  # values skipped (not PEP 440)
      "notes": [...],                                # other oddities noticed
      "quirks": {...}                                # facts run.py asserts on
    }

Evaluation follows the OSV schema (https://ossf.github.io/osv-schema/):
a version is affected by a record when, for some `affected[]` entry whose
package is (PyPI, name), the version is listed in `versions`, or lies inside
one of its ECOSYSTEM ranges.  A range is evaluated by sorting its events by
version (`introduced: "0"` before everything) and walking them:
introduced <= v switches to affected, fixed <= v to not affected,
last_affected < v to not affected.  If the range has `limit` events, v must
also be below at least one of them.  Version comparison is PEP 440 via
`packaging.version.Version`, so "4.2" and "4.2.0" are the same version.
"""

import collections
import glob
import json
import os
import sys

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

# Sort key for `introduced: "0"`: below every real version, including
# pre-releases of 0 such as 0.dev0.
MINUS_INFINITY = None


def parse(value):
    """A Version, or None when `value` is not PEP 440."""
    try:
        return Version(str(value))
    except InvalidVersion:
        return None


# BaseLoader keeps every scalar a string: no float surprises (1.10 -> 1.1)
# and no timestamp objects.  The C variant when libyaml is there (faster).
LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_LOADED = {}


def load_record(path):
    if path not in _LOADED:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if path.endswith(".json"):
            _LOADED[path] = json.loads(text)
        else:
            _LOADED[path] = yaml.load(text, Loader=LOADER)
    return _LOADED[path]


class Record:
    """One OSV record restricted to one PyPI package."""

    def __init__(self, data, path, package, entries, invalid):
        self.id = data["id"]
        self.path = path
        self.package = package
        self.ids = frozenset([self.id] + list(data.get("aliases") or []))
        self.listed = set()      # Versions from `versions`
        self.ranges = []         # list of (sorted events, limits)
        self.fixed = []          # every fixed Version (for the fix hint)
        self.all_values = []     # every valid version string mentioned
        self.equal_event_versions = []  # versions at which two events of a range tie
        self.unsorted = False    # some range lists its events out of version order
        for entry in entries:
            for raw in entry.get("versions") or []:
                version = parse(raw)
                if version is None:
                    invalid.append({"path": path, "id": self.id, "field": "versions", "value": raw})
                    continue
                self.listed.add(version)
                self.all_values.append(str(raw))
            for rng in entry.get("ranges") or []:
                if rng.get("type") != "ECOSYSTEM":
                    continue  # GIT / SEMVER ranges do not apply to PyPI versions
                events, limits = [], []
                for event in rng.get("events") or []:
                    if len(event) != 1:
                        invalid.append({"path": path, "id": self.id, "field": "event",
                                        "value": json.dumps(event)})
                        continue
                    (kind, raw), = event.items()
                    if kind == "introduced" and str(raw) == "0":
                        events.append((MINUS_INFINITY, kind))
                        self.all_values.append("0")
                        continue
                    version = parse(raw)
                    if version is None:
                        if not (kind == "limit" and raw == "*"):
                            invalid.append({"path": path, "id": self.id, "field": kind, "value": raw})
                        continue
                    self.all_values.append(str(raw))
                    if kind == "limit":
                        limits.append(version)
                    elif kind in ("introduced", "fixed", "last_affected"):
                        events.append((version, kind))
                        if kind == "fixed":
                            self.fixed.append(version)
                    else:
                        invalid.append({"path": path, "id": self.id, "field": kind, "value": raw})
                order = [v for v, _ in events]
                if order != sorted(order, key=lambda v: (v is not MINUS_INFINITY, v or Version("0"))):
                    self.unsorted = True
                # Sort by version; "0" first.  Python's sort is stable, so
                # events at the same version keep file order (the OSV spec
                # does not define an order for ties; they are recorded).
                events.sort(key=lambda ev: (ev[0] is not MINUS_INFINITY, ev[0] or Version("0")))
                seen = set()
                for version, _ in events:
                    if version in seen and version is not MINUS_INFINITY:
                        self.equal_event_versions.append(str(version))
                    seen.add(version)
                self.ranges.append((events, limits))

    def affects(self, v):
        if v in self.listed:
            return True
        return any(in_range(v, events, limits) for events, limits in self.ranges)

    def affects_by_range(self, v):
        return any(in_range(v, events, limits) for events, limits in self.ranges)


def in_range(v, events, limits):
    if limits and not any(v < limit for limit in limits):
        return False
    affected = False
    for version, kind in events:
        if kind == "introduced":
            if version is MINUS_INFINITY or version <= v:
                affected = True
        elif kind == "fixed":
            if version <= v:
                affected = False
        elif kind == "last_affected":
            if version < v:
                affected = False
    return affected


def neighbours(version):
    """Probe versions around `version`: last release component +-1, an rc
    of it and a post-release of it.  Strings; the caller drops invalid ones."""
    release = version.release
    epoch = f"{version.epoch}!" if version.epoch else ""
    out = []
    for delta in (1, -1):
        last = release[-1] + delta
        if last >= 0:
            out.append(epoch + ".".join(str(p) for p in release[:-1] + (last,)))
    base = epoch + ".".join(str(p) for p in release)
    out.append(base + "rc1")
    if version.is_postrelease or version.is_devrelease or version.local:
        out.append(base + ".post1")
    else:
        out.append(str(version) + ".post1")
    return out


def union_groups(records):
    """Merge records sharing any id/alias, transitively.  Returns
    {record id: frozenset(all ids of its group)}."""
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for record in records:
        ids = sorted(record.ids)
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    members = collections.defaultdict(set)
    for record in records:
        members[find(record.id)].update(record.ids)
    return {record.id: frozenset(members[find(record.id)]) for record in records}


def series(version):
    release = version.release + (0, 0)
    return release[:2]


def pick_fix(version, clean_fixed):
    """Smallest clean fixed value above `version`, preferring its X.Y series."""
    clean = [f for f in clean_fixed if f > version]
    same = [f for f in clean if series(f) == series(version)]
    if same:
        return str(same[0])
    if clean:
        return str(clean[0])
    return None


WITHDRAWN_RECORDS = collections.defaultdict(list)
LIVE_RECORDS = {}


def build(vulns_dir):
    invalid, notes, withdrawn = [], [], []
    by_package = collections.defaultdict(list)
    paths = sorted(glob.glob(os.path.join(vulns_dir, "**", "*.yaml"), recursive=True)
                   + glob.glob(os.path.join(vulns_dir, "**", "*.json"), recursive=True))
    if not paths:
        raise SystemExit(f"no advisories under {vulns_dir}")
    for path in paths:
        data = load_record(path)
        rel = os.path.relpath(path, vulns_dir)
        # Group the affected entries by package: one Record per package.
        entries = collections.defaultdict(list)
        for entry in data.get("affected") or []:
            package = entry.get("package") or {}
            if package.get("ecosystem") != "PyPI":
                continue
            entries[canonicalize_name(package.get("name", ""))].append(entry)
        if data.get("withdrawn"):
            for name, group in entries.items():
                withdrawn.append({"id": data["id"], "package": name, "path": rel,
                                  "withdrawn": data["withdrawn"]})
                WITHDRAWN_RECORDS[name].append(Record(data, rel, name, group, []))
            continue
        if not entries:
            notes.append(f"{rel}: no PyPI affected entry")
        for name, group in entries.items():
            record = Record(data, rel, name, group, invalid)
            by_package[name].append(record)
            if record.equal_event_versions:
                notes.append(f"{rel}: two events at the same version {record.equal_event_versions}")

    LIVE_RECORDS.update(by_package)
    packages, all_groups = {}, {}
    quirks = {"unsorted_ranges": [], "multi_pair_ranges": [], "introduced_zero": [],
              "versions_vs_ranges": [], "alias_duplicates": []}
    for name, records in sorted(by_package.items()):
        group_of = union_groups(records)
        distinct = sorted({tuple(sorted(g)) for g in group_of.values()})
        all_groups[name] = [list(g) for g in distinct]
        for g in distinct:
            members = sorted(r.id for r in records if group_of[r.id] == frozenset(g))
            if len(members) > 1:
                quirks["alias_duplicates"].append({"package": name, "records": members,
                                                   "ids": list(g)})

        # Candidates: every mentioned version, its neighbours, two extremes.
        chosen = {}  # Version -> canonical string (first spelling wins)

        def add(raw):
            version = parse(raw)
            if version is not None and version not in chosen:
                chosen[version] = str(version)

        mentioned = []
        for record in records:
            mentioned.extend(record.all_values)
        for raw in mentioned:
            add(raw)
        for raw in mentioned:
            version = parse(raw)
            if version is not None:
                for probe in neighbours(version):
                    add(probe)
        add("0.0.1")
        add("9999")

        fixed_values = sorted({v for r in records for v in r.fixed})
        clean_fixed = [f for f in fixed_values if not any(r.affects(f) for r in records)]
        candidates = []
        for version in sorted(chosen):
            groups = sorted({tuple(sorted(group_of[r.id])) for r in records if r.affects(version)})
            fix = fix_final = None
            if groups:
                fix = pick_fix(version, clean_fixed)
                # The same rule restricted to final releases: a tool may well
                # refuse to recommend an upgrade to a pre-release.
                fix_final = pick_fix(version, [f for f in clean_fixed if not f.is_prerelease])
            candidates.append({"version": chosen[version], "groups": [list(g) for g in groups],
                               "fix": fix, "fix_final": fix_final,
                               "prerelease": version.is_prerelease})
        packages[name] = {"records": sorted(r.id for r in records), "candidates": candidates}

        # Facts for the quirk report.
        for record in records:
            for events, _ in record.ranges:
                introductions = [e for e in events if e[1] == "introduced"]
                if any(e[0] is MINUS_INFINITY for e in introductions):
                    quirks["introduced_zero"].append({"package": name, "id": record.id})
                if len(introductions) > 1:
                    quirks["multi_pair_ranges"].append({"package": name, "id": record.id})
        # Where `versions` and the ranges disagree, judged on the releases
        # the package's records list (the real releases the data knows).
        releases = sorted({v for r in records for v in r.listed})
        for record in records:
            if not record.ranges or not record.listed:
                continue
            for version in releases:
                listed = version in record.listed
                ranged = record.affects_by_range(version)
                if listed != ranged:
                    quirks["versions_vs_ranges"].append(
                        {"package": name, "id": record.id, "version": str(version),
                         "kind": "listed, outside ranges" if listed else "in range, not listed"})

    quirks["unsorted_ranges"] = [{"package": r.package, "id": r.id}
                                 for recs in by_package.values() for r in recs if r.unsorted]

    return {"packages": packages, "groups": all_groups, "withdrawn": withdrawn,
            "invalid": invalid, "notes": notes, "quirks": quirks}


def describe(record):
    parts = []
    for events, limits in record.ranges:
        parts.append(", ".join(f"{kind} {'0' if v is MINUS_INFINITY else v}" for v, kind in events)
                     + "".join(f", limit {v}" for v in limits))
    return f"{record.id}: ranges [{'; '.join(parts)}], {len(record.listed)} listed versions"


def guess(query):
    """A short reason guess for one mismatch between the oracle and djguard."""
    name = canonicalize_name(query["package"])
    version = parse(query["version"])
    ids = set(query["ids"])
    kind = query["kind"]
    live = [r for r in LIVE_RECORDS.get(name, []) if r.ids & ids]
    dead = [r for r in WITHDRAWN_RECORDS.get(name, []) if r.ids & ids]
    if kind == "extra" and dead and not live:
        return f"withdrawn record {dead[0].id} reported (OSV: withdrawn records must be ignored)"
    if kind in ("split", "merged", "ids differ", "duplicate finding"):
        return ("alias merging differs; records: "
                + "; ".join(f"{r.id} aliases {sorted(r.ids - {r.id})}" for r in live))
    reasons = []
    for record in live:
        listed = version in record.listed
        ranged = record.affects_by_range(version)
        events = [e for evs, _ in record.ranges for e in evs]
        same = [f"{k} {v}" for v, k in events if v is not MINUS_INFINITY and v == version]
        near = [f"{k} {v}" for v, k in events
                if v is not MINUS_INFINITY and v != version and v.release == version.release]
        if kind == "missing":
            if listed and not ranged:
                why = "listed in `versions` but outside every ECOSYSTEM range: djguard ignores `versions`?"
            elif version.is_prerelease and ranged:
                why = "pre-release inside a range: djguard excludes or misorders pre-releases?"
            elif same:
                why = f"boundary: {same} is inclusive for introduced"
            elif near:
                why = f"ordering next to {near} (post/pre-release or trailing-zero spelling)"
            elif record.unsorted:
                why = "the record's events are not sorted in the file: djguard walks them unsorted?"
            else:
                why = "inside a range per the sorted-event walk"
        else:
            if same:
                why = f"boundary: v equals {same}; fixed is exclusive"
            elif near:
                why = f"ordering next to {near} (pre/post-release or trailing zeros)"
            elif record.unsorted:
                why = "outside every range once events are sorted (they are unsorted in the file)"
            else:
                why = "outside every range and not listed"
        reasons.append(f"{why} [{describe(record)}; listed={listed}, in range={ranged}]")
    if not live:
        return "ids belong to no live record of this package"
    return " | ".join(reasons)


def main(argv):
    args = argv[1:]
    explain = "--explain" in args
    args = [a for a in args if a != "--explain"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    result = build(args[0])
    if explain:
        queries = json.load(sys.stdin)
        json.dump([guess(q) for q in queries], sys.stdout)
    else:
        json.dump(result, sys.stdout, indent=None, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
