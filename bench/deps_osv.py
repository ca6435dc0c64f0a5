#!/usr/bin/env python3
"""Synthetic OSV PyPI database and a loopback OSV server, for bench/deps_vs_peers.sh.

    deps_osv.py build [--out DIR] [--records 20000] [--names 8000] [--targets 40]
    deps_osv.py serve --dir DIR [--host 127.0.0.1] [--port 0]
    deps_osv.py query --dir DIR NAME VERSION      # what the server would answer (debugging)

`build` writes DIR/all.zip (one `ID.json` entry per record, like the OSV export), plus
DIR/expected.json: for every package version pinned by bench/deps/requirements.txt and
bench/deps/uv.lock, the records that affect it (computed here, independently of djguard).

The database: the real PyPA records under crates/djguard/tests/fixtures/deps/pypa-subset
(kept as they are), clones of them renamed to made-up package names and ids (to reach the
size of the real export), and records written for ~40 of the bench lock's packages with
ranges built around the locked version, of several shapes (see TARGET_KINDS), some of which
hit the locked version and some of which just miss it.

`serve` answers, on loopback only:
    GET  /all.zip                 the zip (ETag, Last-Modified, If-None-Match -> 304)
    GET  /pypi/django/json        the package index's JSON for Django, releases only, built
                                  from crates/djguard_deps/data/django_releases.json
    POST /v1/query                {"package": {"name", "ecosystem"}, "version"} -> {"vulns": [...]}
    POST /v1/querybatch           {"queries": [...]} -> {"results": [{"vulns": [{"id", "modified"}]}]}
    GET  /v1/vulns/ID             one record
    GET  /_stats                  this process's CPU time and request counts (for the bench)
Like api.osv.dev, an empty answer is `{}` (query) or `{}` per result (querybatch), and the
queries leave withdrawn records out (the zip and /v1/vulns/ID still have them; osv.dev has
kept withdrawn records out of API results since google/osv.dev#295). Under the prefix
/withdrawn (/withdrawn/v1/query, ...) the queries return them too, to see which clients skip
them on their own.

Version matching follows the OSV schema for ECOSYSTEM ranges with PEP 440 order
(`packaging.version`): events sorted by version (`introduced: "0"` first), introduced
switches to affected, fixed at or below the version switches back, last_affected below the
version switches back, `limit` events bound the range from above; `versions` lists exact
versions. Needs `packaging` and `pyyaml` (the bench venv has both).
"""
import argparse
import collections
import copy
import hashlib
import json
import os
import random
import re
import socket
import sys
import threading
import time
import zipfile
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml
from packaging.version import InvalidVersion, Version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL_DIR = os.path.join(ROOT, "crates/djguard/tests/fixtures/deps/pypa-subset/vulns")
REQUIREMENTS = os.path.join(ROOT, "bench/deps/requirements.txt")
UV_LOCK = os.path.join(ROOT, "bench/deps/uv.lock")
DJANGO_RELEASES = os.path.join(ROOT, "crates/djguard_deps/data/django_releases.json")
SEED = 20261121
ZIP_TIME = (2026, 11, 21, 0, 0, 0)

# Real packages that are also in the bench lock and get one extra, written record hitting
# the locked version (their real records are kept; none of those hits the recent versions
# the lock pins).
REAL_TARGETS = ["requests", "urllib3", "jinja2", "pillow", "cryptography", "pyyaml"]
# Lock packages with several versions in uv.lock (platform forks) but one in
# requirements.txt: a record hitting only the requirements.txt version.
FORCED_TARGETS = ["sphinx", "soupsieve"]

HIT_KINDS = ["fixed_above", "last_affected", "versions_list", "multi_pair", "unsorted",
             "post_fix", "introduced_only", "prerelease_fix", "alias_pair", "ghsa_cvss",
             "limit"]
MISS_KINDS = ["fixed_equal", "last_affected_below", "withdrawn", "later_series",
              "limit_below"]
TARGET_KINDS = HIT_KINDS + MISS_KINDS


def canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_version(text):
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


# --------------------------------------------------------------------------- evaluation

class Matcher:
    """The affected entries of one record for one package, ready to test versions."""

    def __init__(self, record, package):
        self.record = record
        self.listed = set()       # exact strings
        self.listed_v = set()     # and their PEP 440 forms
        self.ranges = []          # (sorted events, limits)
        for entry in record.get("affected") or []:
            pkg = entry.get("package") or {}
            if pkg.get("ecosystem") != "PyPI" or canon(pkg.get("name", "")) != package:
                continue
            for raw in entry.get("versions") or []:
                self.listed.add(str(raw))
                v = parse_version(raw)
                if v is not None:
                    self.listed_v.add(v)
            for rng in entry.get("ranges") or []:
                if rng.get("type") != "ECOSYSTEM":
                    continue
                events, limits = [], []
                for ev in rng.get("events") or []:
                    for kind, raw in ev.items():
                        if kind == "introduced" and str(raw) == "0":
                            events.append((None, kind))
                        elif kind == "limit":
                            v = parse_version(raw)
                            if v is not None:
                                limits.append(v)
                        elif kind in ("introduced", "fixed", "last_affected"):
                            v = parse_version(raw)
                            if v is not None:
                                events.append((v, kind))
                # None ("0") sorts before every version; ties keep the file's order.
                events.sort(key=lambda e: (e[0] is not None, e[0] or Version("0")))
                self.ranges.append((events, limits))

    def affects(self, version):
        if str(version) in self.listed:
            return True
        v = parse_version(version)
        if v is None:
            return False
        if v in self.listed_v:
            return True
        for events, limits in self.ranges:
            if limits and not any(v < lim for lim in limits):
                continue
            hit = False
            for at, kind in events:
                if kind == "introduced":
                    if at is None or at <= v:
                        hit = True
                elif kind == "fixed":
                    if at <= v:
                        hit = False
                elif kind == "last_affected":
                    if at < v:
                        hit = False
            if hit:
                return True
        return False


class Database:
    """Records by id and, per package, the matchers of the records that name it."""

    def __init__(self, records):
        self.by_id = {}
        self.by_package = collections.defaultdict(list)
        for rec in records:
            self.by_id[rec["id"]] = rec
            names = {canon((e.get("package") or {}).get("name", ""))
                     for e in rec.get("affected") or []
                     if (e.get("package") or {}).get("ecosystem") == "PyPI"}
            for name in sorted(names):
                self.by_package[name].append(Matcher(rec, name))

    @classmethod
    def from_zip(cls, path):
        records = []
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".json"):
                    records.append(json.loads(zf.read(info)))
        return cls(records)

    def matching(self, name, version):
        """Records affecting `name` at `version` (withdrawn ones included)."""
        return [m.record for m in self.by_package.get(canon(name), ()) if m.affects(version)]


# --------------------------------------------------------------------------- inputs

def load_real(directory=REAL_DIR):
    """The real records, every scalar kept a string (YAML would turn 0.10 into 0.1)."""
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    records = {}
    for dirpath, _, files in os.walk(directory):
        for fn in sorted(files):
            if fn.endswith((".yaml", ".yml")):
                with open(os.path.join(dirpath, fn), encoding="utf-8") as fh:
                    rec = yaml.load(fh, Loader=loader)
                records.setdefault(rec["id"], rec)
    return [records[k] for k in sorted(records)]


def requirements_pins(path=REQUIREMENTS):
    """{name: version} of the `name==version` lines of a pip-compile output."""
    pins = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;\\]+)", line)
            if m:
                pins[canon(m.group(1))] = m.group(3)
    return pins


def uv_lock_pins(path=UV_LOCK):
    """[(name, version)] of every [[package]] of a uv.lock (the project itself left out)."""
    import tomllib
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out = []
    for pkg in data.get("package", []):
        source = pkg.get("source") or {}
        if "version" not in pkg or "editable" in source or "virtual" in source:
            continue
        out.append((canon(pkg["name"]), pkg["version"]))
    return sorted(set(out))


# --------------------------------------------------------------------------- building

GHSA_ALPHABET = "23456789cfghjmpqrvwx"


class IdMaker:
    """Fresh ids in the shapes of the real ones, never colliding with them."""

    def __init__(self, rng, taken):
        self.rng = rng
        self.taken = set(taken)
        self.n = 0

    def _unique(self, make):
        while True:
            new = make()
            if new not in self.taken:
                self.taken.add(new)
                return new

    def ghsa(self):
        return self._unique(lambda: "GHSA-" + "-".join(
            "".join(self.rng.choice(GHSA_ALPHABET) for _ in range(4)) for _ in range(3)))

    def like(self, old):
        parts = old.split("-")
        prefix = parts[0]
        if prefix == "GHSA":
            return self.ghsa()
        year = parts[1] if len(parts) > 2 and parts[1].isdigit() else "2026"
        # Most real PYSEC and CVE numbers stay below these; a collision takes the next one.
        base = {"PYSEC": 100000, "CVE": 900000}.get(prefix, 100000)

        def make():
            self.n += 1
            return f"{prefix}-{year}-{base + self.n}"
        return self._unique(make)


def clone(rec, source_pkg, new_pkg, mapping, ids):
    """`rec` restricted to `source_pkg`, renamed to `new_pkg`; ids through `mapping`."""
    def m(old):
        if old not in mapping:
            mapping[old] = ids.like(old)
        return mapping[old]

    new = copy.deepcopy(rec)
    new["id"] = m(rec["id"])
    if rec.get("aliases"):
        new["aliases"] = [m(a) for a in rec["aliases"]]
    if rec.get("related"):
        new["related"] = [m(a) for a in rec["related"]]
    kept = []
    for entry in new.get("affected") or []:
        pkg = entry.get("package") or {}
        if canon(pkg.get("name", "")) == source_pkg:
            entry["package"] = {"name": new_pkg, "ecosystem": "PyPI",
                                "purl": f"pkg:pypi/{new_pkg}"}
            kept.append(entry)
    new["affected"] = kept
    return new


def made_up_names(rng, count, avoid):
    heads = ["py", "django-", "flask-", "aio", "fast", "open", "simple", "easy", "micro",
             "data", "web", "cloud", "auth", "async-", "pytest-", "sphinx-", "tiny", "smart",
             "deep", "meta", "net", "json", "xml", "yaml", "http", "geo", "sql", "zope-",
             "odoo-", "ansible-", "mkdocs-", "torch", "ml", "nlp", "img", "pdf", "mail-"]
    stems = ["form", "cache", "store", "parse", "crypt", "token", "queue", "sync", "log",
             "view", "route", "image", "render", "query", "model", "graph", "frame", "stack",
             "lint", "check", "build", "shell", "proxy", "socket", "stream", "table", "chart",
             "vault", "agent", "bridge", "client", "server", "kit", "tools", "utils", "core",
             "helper", "plugin", "admin", "rest", "api", "sdk", "cli", "wrap", "hub", "lab"]
    tails = ["", "", "", "s", "er", "ify", "ly", "-py", "-lib", "2", "3", "-ng", "-plus",
             "-extra", "-lite", "-async", "-tools", "x", "io"]
    names, avoid = [], set(avoid)
    while len(names) < count:
        name = canon(rng.choice(heads) + rng.choice(stems) + rng.choice(tails))
        if name in avoid:
            name = f"{name}-{rng.randrange(2, 999)}"
        if name not in avoid:
            avoid.add(name)
            names.append(name)
    return names


def bump(v):
    """The next release after `v` in its last release component (6.0.3 -> 6.0.4)."""
    rel = list(Version(v).release)
    rel[-1] += 1
    return ".".join(map(str, rel))


def lower(v):
    """A release below `v` (2.10.0 -> 2.9.0, 3.0 -> 2.0); None when there is none."""
    rel = list(Version(v).release)
    for i in range(len(rel) - 1, -1, -1):
        if rel[i] > 0:
            rel[i] -= 1
            return ".".join(map(str, rel))
    return None


def target_records(kind, name, version, template, ids):
    """Records of one kind for `name` pinned at `version`; the last item says whether the
    locked version is affected."""
    lo = lower(version) or "0.0.1"
    up = bump(version)

    def record(rid, aliases, affected_entry, **extra):
        rec = {k: copy.deepcopy(v) for k, v in template.items()
               if k in ("details", "references", "published", "modified", "summary")}
        rec.update({"schema_version": "1.6.0", "id": rid, "aliases": aliases,
                    "affected": [dict({"package": {"name": name, "ecosystem": "PyPI",
                                                   "purl": f"pkg:pypi/{name}"}},
                                      **affected_entry)]})
        rec.setdefault("summary", f"Synthetic advisory ({kind}) for {name}")
        rec.setdefault("modified", "2026-11-01T00:00:00Z")
        rec.update(extra)
        return rec

    def eco(*events):
        return {"ranges": [{"type": "ECOSYSTEM", "events": list(events)}]}

    pysec = ids.like("PYSEC-2026-0")
    cve = ids.like("CVE-2026-0")
    hit = kind in HIT_KINDS
    if kind == "fixed_above":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"fixed": up}))]
    elif kind == "last_affected":
        recs = [record(pysec, [cve], eco({"introduced": lo}, {"last_affected": version}))]
    elif kind == "versions_list":
        recs = [record(pysec, [cve], {"versions": [lo, version]})]
    elif kind == "multi_pair":
        lo2 = lower(lo) or "0.0.1"
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"fixed": lo2},
                                         {"introduced": lo}, {"fixed": up}))]
    elif kind == "unsorted":
        recs = [record(pysec, [cve], eco({"fixed": up}, {"introduced": "0"}))]
    elif kind == "post_fix":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"fixed": f"{version}.post1"}))]
    elif kind == "introduced_only":
        recs = [record(ids.like("MAL-2026-0"), [], eco({"introduced": "0"}))]
    elif kind == "prerelease_fix":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"fixed": f"{up}rc1"}))]
    elif kind == "alias_pair":
        ghsa = ids.ghsa()
        recs = [record(pysec, [cve, ghsa], eco({"introduced": "0"}, {"fixed": up})),
                record(ghsa, [cve], eco({"introduced": lo}, {"fixed": up}))]
    elif kind == "ghsa_cvss":
        recs = [record(ids.ghsa(), [cve], eco({"introduced": "0"}, {"fixed": up}),
                       severity=[{"type": "CVSS_V3",
                                  "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                       database_specific={"severity": "CRITICAL"})]
    elif kind == "limit":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"limit": up}))]
    elif kind == "fixed_equal":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"fixed": version}))]
    elif kind == "last_affected_below":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"last_affected": lo}))]
    elif kind == "withdrawn":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"fixed": up}),
                       withdrawn="2026-10-01T00:00:00Z")]
    elif kind == "later_series":
        recs = [record(pysec, [cve], eco({"introduced": up}, {"fixed": bump(up)}))]
    elif kind == "limit_below":
        recs = [record(pysec, [cve], eco({"introduced": "0"}, {"limit": version}))]
    else:
        raise ValueError(kind)
    return recs, hit


def build(out_dir, total=20000, names=8000, n_targets=40, seed=SEED):
    rng = random.Random(seed)
    real = load_real()
    pins = requirements_pins()
    uv_pins = uv_lock_pins()
    lock_names = set(pins) | {n for n, _ in uv_pins}
    real_by_pkg = collections.defaultdict(list)
    taken = set()
    for rec in real:
        taken.add(rec["id"])
        taken.update(rec.get("aliases") or [])
        for e in rec.get("affected") or []:
            real_by_pkg[canon(e["package"]["name"])].append(rec)
    ids = IdMaker(rng, taken)

    # 1. Targets: written records around the locked versions.
    pool = sorted(n for n in pins if n not in real_by_pkg and n not in FORCED_TARGETS)
    others = rng.sample(pool, max(0, n_targets - len(REAL_TARGETS) - len(FORCED_TARGETS)))
    targets = sorted(set(REAL_TARGETS) | set(FORCED_TARGETS) | set(others))
    missing = [t for t in targets if t not in pins]
    if missing:
        raise SystemExit(f"targets not pinned in requirements.txt: {missing}")
    target_recs, plan = [], []
    for i, name in enumerate(targets):
        kinds = [HIT_KINDS[i % len(HIT_KINDS)]]
        if i % 2 == 0:
            kinds.append(MISS_KINDS[(i // 2) % len(MISS_KINDS)])
        for kind in kinds:
            recs, hit = target_records(kind, name, pins[name], rng.choice(real), ids)
            target_recs.extend(recs)
            plan.append({"package": name, "version": pins[name], "kind": kind, "hit": hit,
                         "ids": [r["id"] for r in recs]})

    # 2. Clones onto made-up names, sizes by preferential attachment (a few packages with
    #    many records, most with one or two, as in the real export).
    n_synth = names - len(set(real_by_pkg) | set(targets))
    budget = total - len(real) - len(target_recs)
    if n_synth < 1 or budget < n_synth:
        raise SystemExit("--records/--names too small for the real and target records")
    sizes = [1] * n_synth
    urn = list(range(n_synth))
    for _ in range(budget - n_synth):
        i = rng.choice(urn)
        sizes[i] += 1
        urn.append(i)
    synth_names = made_up_names(rng, n_synth, lock_names | set(real_by_pkg))
    sources = sorted(real_by_pkg)
    clones = []
    for name, size in zip(synth_names, sizes):
        source = rng.choice(sources)
        recs = real_by_pkg[source]
        start = rng.randrange(len(recs))
        mapping = {}
        for k in range(size):
            if k and k % len(recs) == 0:
                mapping = {}  # a second pass over the source's records: new ids
            clones.append(clone(recs[(start + k) % len(recs)], source, name, mapping, ids))

    records = real + target_recs + clones
    ids_seen = collections.Counter(r["id"] for r in records)
    dup = [k for k, n in ids_seen.items() if n > 1]
    if dup:
        raise SystemExit(f"duplicate ids: {dup[:5]}")
    records.sort(key=lambda r: r["id"])

    os.makedirs(out_dir, exist_ok=True)
    part = os.path.join(out_dir, "all.zip.part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
        for rec in records:
            info = zipfile.ZipInfo(f"{rec['id']}.json", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, json.dumps(rec, indent=2, ensure_ascii=False))
    os.replace(part, os.path.join(out_dir, "all.zip"))

    # 3. What affects the bench's pins, computed here.
    db = Database(records)

    def answer(name, version):
        hits = db.matching(name, version)
        return {"live": sorted(r["id"] for r in hits if not r.get("withdrawn")),
                "withdrawn": sorted(r["id"] for r in hits if r.get("withdrawn"))}

    expected = {
        "seed": seed,
        "records": len(records),
        "packages": len(db.by_package),
        "real_records": len(real),
        "real_packages": len(real_by_pkg),
        "target_records": len(target_recs),
        "clone_records": len(clones),
        "largest_package": max(len(v) for v in db.by_package.values()),
        "targets": targets,
        "plan": plan,
        "requirements": {n: dict(answer(n, v), version=v) for n, v in sorted(pins.items())},
        "uv_lock": [dict(answer(n, v), name=n, version=v) for n, v in uv_pins],
        "aliases": {r["id"]: sorted(set(r.get("aliases") or [])) for r in records
                    if r.get("aliases")},
    }
    with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=1, sort_keys=True)
    return expected


# --------------------------------------------------------------------------- serving

def django_json():
    with open(DJANGO_RELEASES, encoding="utf-8") as fh:
        data = json.load(fh)
    releases = {}
    for series in data.get("series", []):
        for v in series.get("releases", []):
            releases[v] = [{"filename": f"django-{v}.tar.gz", "packagetype": "sdist",
                            "yanked": False}]
    for v in data.get("yanked", []):
        releases[v] = [{"filename": f"django-{v}.tar.gz", "packagetype": "sdist",
                        "yanked": True}]
    newest = max((Version(v) for v, f in releases.items()
                   if not f[0]["yanked"] and not Version(v).is_prerelease), default=None)
    return json.dumps({"info": {"name": "Django", "version": str(newest)},
                       "releases": releases}).encode()


class State:
    def __init__(self, directory):
        self.zip_path = os.path.join(directory, "all.zip")
        with open(self.zip_path, "rb") as fh:
            blob = fh.read()
        self.zip_size = len(blob)
        self.etag = '"' + hashlib.sha256(blob).hexdigest()[:32] + '"'
        self.last_modified = formatdate(time.mktime(ZIP_TIME + (0, 0, -1)), usegmt=True)
        del blob
        self.db = Database.from_zip(self.zip_path)
        self.compact = {rid: json.dumps(rec, separators=(",", ":")).encode()
                        for rid, rec in self.db.by_id.items()}
        self.django = django_json()
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.agents = collections.Counter()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bench-osv/1"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the
        # second until the client's delayed ACK (40 ms per request on Linux).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # quiet
        pass

    def count(self, what):
        st = self.server.state
        with st.lock:
            st.counts[what] += 1
            st.agents[(self.headers.get("User-Agent") or "-").split(" ")[0]] += 1

    def send(self, code, body=b"", ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        st = self.server.state
        path = self.path.split("?", 1)[0]
        if path.startswith("/withdrawn/v1/"):
            path = path[len("/withdrawn"):]
        if path == "/all.zip":
            validators = [("ETag", st.etag), ("Last-Modified", st.last_modified)]
            if self.headers.get("If-None-Match") == st.etag:
                self.count("GET /all.zip (304)")
                self.send(304, extra=validators)
                return
            self.count("GET /all.zip")
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(st.zip_size))
            for k, v in validators:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                with open(st.zip_path, "rb") as fh:
                    while True:
                        chunk = fh.read(1 << 20)
                        if not chunk:
                            break
                        self.wfile.write(chunk)
        elif path.rstrip("/").lower() == "/pypi/django/json":
            self.count("GET /pypi/django/json")
            self.send(200, st.django)
        elif path.startswith("/v1/vulns/"):
            self.count("GET /v1/vulns/ID")
            body = st.compact.get(path[len("/v1/vulns/"):])
            if body is None:
                self.send(404, b'{"code":5,"message":"Bug not found."}')
            else:
                self.send(200, body)
        elif path == "/_stats":
            t = os.times()
            with st.lock:
                body = json.dumps({"cpu_s": t.user + t.system, "requests": dict(st.counts),
                                   "agents": dict(st.agents)}).encode()
            self.send(200, body)
        else:
            self.send(404, b'{"message":"not found"}')

    def read_json(self):
        n = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(n) or b"null")
        except ValueError:
            return None

    def lookup(self, query, withdrawn):
        if not isinstance(query, dict):
            return None
        pkg = query.get("package") or {}
        if pkg.get("ecosystem") not in (None, "PyPI") or "version" not in query:
            return None
        hits = self.server.state.db.matching(pkg.get("name", ""), query["version"])
        return hits if withdrawn else [r for r in hits if not r.get("withdrawn")]

    def do_POST(self):
        st = self.server.state
        path = self.path.split("?", 1)[0]
        withdrawn = path.startswith("/withdrawn/")
        if withdrawn:
            path = path[len("/withdrawn"):]
        body = self.read_json()
        if path == "/v1/query":
            self.count("POST /v1/query")
            hits = self.lookup(body, withdrawn)
            if hits is None:
                self.send(400, b'{"code":3,"message":"Invalid query."}')
            elif not hits:
                self.send(200, b"{}")
            else:
                self.send(200, b'{"vulns":[' + b",".join(st.compact[r["id"]] for r in hits)
                          + b"]}")
        elif path == "/v1/querybatch":
            self.count("POST /v1/querybatch")
            queries = (body or {}).get("queries") if isinstance(body, dict) else None
            if not isinstance(queries, list) or len(queries) > 1000:
                self.send(400, b'{"code":3,"message":"Invalid query."}')
                return
            with st.lock:
                st.counts["querybatch queries"] += len(queries)
            results = []
            for q in queries:
                hits = self.lookup(q, withdrawn) or []
                results.append({"vulns": [{"id": r["id"], "modified": r.get("modified")}
                                          for r in hits]} if hits else {})
            self.send(200, json.dumps({"results": results}).encode())
        else:
            self.send(404, b'{"message":"not found"}')


def serve(directory, host, port):
    state = State(directory)
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.state = state
    print(f"PORT {server.server_address[1]} records={len(state.db.by_id)} "
          f"packages={len(state.db.by_package)} zip={state.zip_size}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", default=os.path.join(ROOT, ".cache/bench-deps"))
    b.add_argument("--records", type=int, default=20000)
    b.add_argument("--names", type=int, default=8000)
    b.add_argument("--targets", type=int, default=40)
    s = sub.add_parser("serve")
    s.add_argument("--dir", default=os.path.join(ROOT, ".cache/bench-deps"))
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0)
    q = sub.add_parser("query")
    q.add_argument("--dir", default=os.path.join(ROOT, ".cache/bench-deps"))
    q.add_argument("name")
    q.add_argument("version")
    args = ap.parse_args(argv)
    if args.cmd == "build":
        t0 = time.perf_counter()
        e = build(args.out, args.records, args.names, args.targets)
        size = os.path.getsize(os.path.join(args.out, "all.zip"))
        print(f"built {args.out}/all.zip: {e['records']} records, {e['packages']} packages, "
              f"{size} bytes ({e['real_records']} real, {e['target_records']} written for "
              f"{len(e['targets'])} lock packages, {e['clone_records']} clones) in "
              f"{time.perf_counter() - t0:.1f} s")
    elif args.cmd == "serve":
        if args.host not in ("127.0.0.1", "::1", "localhost"):
            raise SystemExit("loopback only")
        serve(args.dir, args.host, args.port)
    else:
        db = Database.from_zip(os.path.join(args.dir, "all.zip"))
        for rec in db.matching(args.name, args.version):
            print(rec["id"], rec.get("aliases", []), "withdrawn" if rec.get("withdrawn") else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
