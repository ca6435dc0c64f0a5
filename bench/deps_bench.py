#!/usr/bin/env python3
"""Times djguard's dependency audit next to pip-audit and uv audit on the same lock, against
the same loopback advisory data, checks that they find the same vulnerabilities, and writes
the report. Run by bench/deps_vs_peers.sh (which builds the binary, the venv and the
database first); the Python must be the bench venv's (it needs `packaging` for the server).

    deps_bench.py --djguard BIN --venv DIR --out DIR [--runs 5] [--warmup 1] [--update-runs 3]
                  [--no-uv] [--no-pip-audit]

Per run: wall time (perf_counter around the process), CPU time (user + system) and peak RSS
from the wait4() rusage of that process alone, so nothing else counts. The loopback server's
own CPU time and request counts are read from its /_stats before and after each command's
runs (warm-ups included) and divided by the number of runs.
"""
import argparse
import collections
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import deps_osv  # noqa: E402

TODAY = "2026-11-21"
DEPS = os.path.join(ROOT, "bench/deps")
REQ = os.path.join(DEPS, "requirements.txt")
UVLOCK = os.path.join(DEPS, "uv.lock")


# --------------------------------------------------------------------------- running

def run_once(cmd, cwd, env, stdout_path=None):
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    finally:
        err.close()
        if stdout_path:
            out.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_kib": usage.ru_maxrss, "code": proc.returncode, "stderr": stderr}


class Server:
    def __init__(self, python, directory):
        self.proc = subprocess.Popen(
            [python, os.path.join(HERE, "deps_osv.py"), "serve", "--dir", directory,
             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise SystemExit(f"the OSV server did not start: {line}{self.proc.stderr.read()}")
        self.port = int(line.split()[1])
        self.banner = line.strip()
        self.url = f"http://127.0.0.1:{self.port}"

    def stats(self):
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as resp:
            return json.load(resp)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def measure(case, server, runs, warmup, keep_dir):
    """Run one case; returns its record (per-run numbers, medians, server share)."""
    before = server.stats()
    results, first_out = [], None
    total = warmup + case.get("runs", runs)
    if case.get("no_warmup"):
        total, warmup = case.get("runs", runs), 0
    for i in range(total):
        if case.get("prepare"):
            case["prepare"]()
        out = os.path.join(keep_dir, f"{case['key']}.out") if i == 0 else None
        r = run_once(case["cmd"], case.get("cwd", ROOT), case["env"], out)
        if r["code"] not in case.get("ok", (0, 1)):
            raise SystemExit(f"{case['key']}: exit code {r['code']} in run {i + 1}:\n"
                             f"{r['stderr'][-3000:]}")
        if i == 0:
            first_out = out
            with open(os.path.join(keep_dir, f"{case['key']}.err"), "w") as fh:
                fh.write(r["stderr"])
        if i >= warmup:
            results.append(r)
    after = server.stats()
    n = total
    reqs = collections.Counter(after["requests"])
    reqs.subtract(before["requests"])
    rec = {k: case[k] for k in ("key", "label", "input", "tool") if k in case}
    rec["cmd"] = " ".join(case["cmd"])
    rec["runs"] = len(results)
    rec["warmup"] = warmup
    for k in ("wall", "cpu", "rss_kib"):
        values = [r[k] for r in results]
        rec[k] = {"median": statistics.median(values), "min": min(values), "max": max(values),
                  "all": values}
    rec["exit_codes"] = sorted({r["code"] for r in results})
    rec["server_cpu_per_run"] = (after["cpu_s"] - before["cpu_s"]) / n
    rec["requests_per_run"] = {k: v / n for k, v in sorted(reqs.items()) if v}
    rec["output"] = first_out
    return rec


# --------------------------------------------------------------------------- agreement

class Groups:
    """Union-find over advisory ids: a record's id and its aliases are one vulnerability."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, ids):
        ids = list(ids)
        for other in ids[1:]:
            a, b = self.find(ids[0]), self.find(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)

    def key(self, ids):
        return self.find(sorted(ids)[0])


def djguard_items(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    items = []
    for f in data.get("findings", []):
        pkg = f.get("package") or {}
        if f.get("rule") != "DJG304":
            continue
        for adv in pkg.get("advisories", []):
            items.append((pkg["name"], pkg.get("version"), set(adv.get("ids") or [adv["id"]])))
    return items, data


def pip_audit_items(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    items = []
    for dep in data.get("dependencies", []):
        for v in dep.get("vulns", []):
            items.append((deps_osv.canon(dep["name"]), dep["version"],
                          {v["id"], *v.get("aliases", [])}))
    return items, data


def uv_items(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    items = []
    for v in data.get("vulnerabilities", []):
        dep = v["dependency"]
        items.append((deps_osv.canon(dep["name"]), dep["version"],
                      {v["id"], *v.get("aliases", [])}))
    return items, data


def agreement(expected, outputs):
    """outputs: {key: (scope, items)}; scope 'req' (requirements.txt pins), 'uv' (uv.lock
    pins) or 'all' (both)."""
    groups = Groups()
    for rid, aliases in expected["aliases"].items():
        groups.union([rid, *aliases])
    for _, items in outputs.values():
        for _, _, ids in items:
            groups.union(ids)
    db_ids = set(expected["aliases"])
    for entry in list(expected["requirements"].values()) + expected["uv_lock"]:
        db_ids.update(entry["live"])
        db_ids.update(entry["withdrawn"])
    withdrawn_keys = set()

    def exp_set(pairs):
        out = set()
        for name, entry in pairs:
            for rid in entry["live"]:
                out.add((name, entry["version"], groups.key([rid])))
            for rid in entry["withdrawn"]:
                withdrawn_keys.add((name, entry["version"], groups.key([rid])))
        return out

    exp = {
        "req": exp_set(expected["requirements"].items()),
        "uv": exp_set((e["name"], e) for e in expected["uv_lock"]),
    }
    exp["all"] = exp["req"] | exp["uv"]
    report = {}
    for key, (scope, items) in outputs.items():
        got = collections.Counter((n, v, groups.key(ids)) for n, v, ids in items)
        have = set(got)
        missing = sorted(exp[scope] - have)
        extra = sorted(have - exp[scope])
        why = []
        for n, v, g in extra:
            ids = sorted(i for i in groups.parent if groups.find(i) == g)
            if (n, v, g) in withdrawn_keys:
                why.append(f"{n} {v} {g}: a withdrawn record")
            elif not any(i in db_ids for i in ids):
                why.append(f"{n} {v} {g}: not in the OSV data (djguard's built-in Django "
                           f"archive?)")
            else:
                why.append(f"{n} {v} {g}: ?")
        report[key] = {"scope": scope, "entries": len(items), "distinct": len(have),
                       "expected": len(exp[scope]), "matched": len(have & exp[scope]),
                       "missing": [" ".join(x) for x in missing], "extra": why,
                       "repeated": sum(c - 1 for c in got.values() if c > 1)}
    return report


def oracle_crosscheck(zip_path, expected):
    """Evaluate the requirements.txt pins with tests/deps/osv_oracle.py's Record, if there."""
    try:
        sys.path.insert(0, os.path.join(ROOT, "tests/deps"))
        import zipfile
        import osv_oracle
        from packaging.version import Version
        names = set(expected["requirements"])
        records = collections.defaultdict(list)
        with zipfile.ZipFile(zip_path) as zf:
            for info in zf.infolist():
                data = json.loads(zf.read(info))
                entries = collections.defaultdict(list)
                for e in data.get("affected") or []:
                    n = deps_osv.canon((e.get("package") or {}).get("name", ""))
                    if n in names and (e.get("package") or {}).get("ecosystem") == "PyPI":
                        entries[n].append(e)
                for n, group in entries.items():
                    records[n].append(osv_oracle.Record(data, info.filename, n, group, []))
        differ = []
        for n, entry in expected["requirements"].items():
            theirs = sorted(r.id for r in records.get(n, ()) if r.affects(Version(entry["version"])))
            ours = sorted(entry["live"] + entry["withdrawn"])
            if theirs != ours:
                differ.append(f"{n} {entry['version']}: ours {ours}, oracle {theirs}")
        return {"pairs": len(expected["requirements"]), "differ": differ}
    except Exception as exc:  # the oracle is someone else's work in progress
        return {"skipped": f"{type(exc).__name__}: {exc}"}


# --------------------------------------------------------------------------- report

def ms(x):
    return f"{x * 1000:,.0f}" if x >= 0.1 else f"{x * 1000:.1f}"


def row(rec, found):
    w, c = rec["wall"], rec["cpu"]
    reqs = ", ".join(f"{v:g} {k}" for k, v in rec["requests_per_run"].items()
                     if k != "querybatch queries")
    return (f"| {rec['label']} | {rec['input']} | {rec['runs']} | {ms(w['median'])} "
            f"({ms(w['min'])}-{ms(w['max'])}) | {ms(c['median'])} | "
            f"{rec['rss_kib']['median'] / 1024:.0f} | {ms(rec['server_cpu_per_run'])} | "
            f"{reqs or '-'} | {found} |")


def ratio(a, b, what):
    return a[what]["median"] / b[what]["median"]


def write_report(path, meta, recs, agree, oracle, expected, extra_notes):
    by = {r["key"]: r for r in recs}
    lines = [
        "# djguard deps vs peers",
        "",
        f"{meta['date']}, {meta['machine']}; {meta['djguard']} ({meta['git']}), pip-audit "
        f"{meta['pip_audit']}, {meta['uv']}; load average before/after: "
        f"{meta['load_before']} / {meta['load_after']}.",
        f"Data: synthetic OSV PyPI export, {expected['records']:,} records for "
        f"{expected['packages']:,} packages, {meta['zip_bytes']:,} bytes "
        f"({expected['real_records']} real PyPA records, {expected['target_records']} written "
        f"for {len(expected['targets'])} of the lock's packages, the rest clones), served on "
        f"127.0.0.1. Lock: bench/deps (requirements.txt 314 pins, uv.lock 321).",
        "",
        "Times in ms: median (min-max) wall, median CPU (user+sys of the process); RSS in MiB; "
        "server = the loopback OSV server's CPU per run (not included in the tool's CPU).",
        "",
        "| command | input | runs | wall ms | CPU ms | RSS MiB | server CPU ms | requests per run | vulnerabilities |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in recs:
        a = agree.get(r["key"])
        found = f"{a['distinct']}" if a else "-"
        if a and a["entries"] != a["distinct"]:
            found += f" ({a['entries']} entries)"
        lines.append(row(r, found))
    lines.append("")
    pairs = [
        ("pip_audit_req", "warm_req", "pip-audit / djguard deps warm cache, requirements.txt"),
        ("pip_audit_req", "online_req", "pip-audit / djguard deps --online, requirements.txt"),
        ("pip_audit_req", "warm_all", "pip-audit (requirements.txt) / djguard deps warm cache, bench/deps (headline)"),
        ("uv_audit", "warm_uv", "uv audit (empty cache) / djguard deps warm cache, uv.lock"),
        ("uv_audit", "online_uv", "uv audit (empty cache) / djguard deps --online, uv.lock"),
        ("uv_audit_warm", "warm_uv", "uv audit (cache kept) / djguard deps warm cache, uv.lock"),
        ("online_all", "warm_all", "djguard --online / djguard warm cache, bench/deps"),
    ]
    lines += ["| ratio | wall | CPU |", "| --- | ---: | ---: |"]
    for a, b, text in pairs:
        if a in by and b in by:
            lines.append(f"| {text} | {ratio(by[a], by[b], 'wall'):.1f}x | "
                         f"{ratio(by[a], by[b], 'cpu'):.1f}x |")
    lines += ["", "## Agreement", "",
              "Each tool's findings as (package, version, vulnerability), where a vulnerability is "
              "a record id together with its aliases; compared with what the server's own "
              "evaluator says affects the pins in the tool's input (withdrawn records excluded). "
              "`repeated`: the same vulnerability reported more than once for one version.",
              "",
              "| output | pins | expected | found | matched | missing | extra | repeated |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    scope_name = {"req": "requirements.txt", "uv": "uv.lock", "all": "both files"}
    for key, a in agree.items():
        if key in by:
            label = by[key]["label"]
        else:
            base = by[key[:-len("_withdrawn")]]["label"]
            label = f"{base}, server also returning withdrawn records (untimed)"
        lines.append(f"| {label} | {scope_name[a['scope']]} | "
                     f"{a['expected']} | {a['distinct']} | {a['matched']} | {len(a['missing'])} | "
                     f"{len(a['extra'])} | {a['repeated']} |")
    lines.append("")
    for key, a in agree.items():
        for m in a["missing"]:
            lines.append(f"- {key}: missing {m}")
        for x in a["extra"]:
            lines.append(f"- {key}: extra {x}")
    if "skipped" in oracle:
        lines.append(f"- tests/deps/osv_oracle.py cross-check skipped ({oracle['skipped']})")
    else:
        lines.append(f"- tests/deps/osv_oracle.py agrees with the server's evaluator on "
                     f"{oracle['pairs'] - len(oracle['differ'])} of {oracle['pairs']} "
                     f"requirements.txt pins" + (f"; differs: {oracle['differ']}"
                                                  if oracle["differ"] else ""))
    lines += [f"- {n}" for n in extra_notes]
    lines.append("")
    text = "\n".join(lines)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return text


# --------------------------------------------------------------------------- main

def loadavg():
    try:
        with open("/proc/loadavg") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def version_of(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--djguard", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--update-runs", type=int, default=3)
    ap.add_argument("--no-uv", action="store_true")
    ap.add_argument("--no-pip-audit", action="store_true")
    args = ap.parse_args(argv)

    out = os.path.abspath(args.out)
    raw = os.path.join(out, "raw")
    scratch = os.path.join(out, "scratch")
    for d in (raw, scratch):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    with open(os.path.join(out, "expected.json"), encoding="utf-8") as fh:
        expected = json.load(fh)
    bin_dir = os.path.join(args.venv, "bin")
    dj = os.path.abspath(args.djguard)

    env = dict(os.environ)
    for k in ("DJGUARD_CACHE_DIR", "DJGUARD_TIMINGS", "HTTP_PROXY", "HTTPS_PROXY",
              "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "PYTHONPYCACHEPREFIX"):
        env.pop(k, None)
    env.update({"DJGUARD_TODAY": TODAY, "NO_PROXY": "127.0.0.1,localhost",
                "no_proxy": "127.0.0.1,localhost", "XDG_CACHE_HOME": os.path.join(scratch, "xdg"),
                "PYTHONDONTWRITEBYTECODE": "1"})
    uv_env = dict(env, UV_CACHE_DIR=os.path.join(scratch, "uv-cache"),
                  UV_NO_PYTHON_DOWNLOADS="1", UV_NO_CONFIG="1")

    server = Server(os.path.join(bin_dir, "python"), out)
    print(f"== server: {server.banner} at {server.url}", file=sys.stderr)
    url = server.url
    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPUs ({cpu_model()}), Linux {platform.release()}, "
                   f"Python {platform.python_version()}",
        "djguard": version_of([dj, "--version"]),
        "git": version_of(["git", "-C", ROOT, "describe", "--always", "--dirty"]),
        "pip_audit": (version_of([os.path.join(bin_dir, "pip-audit"), "--version"]).split()
                      or ["?"])[-1],
        "uv": version_of([os.path.join(bin_dir, "uv"), "--version"]),
        "load_before": loadavg(),
        "zip_bytes": os.path.getsize(os.path.join(out, "all.zip")),
        "server": url,
    }

    warm = os.path.join(scratch, "warm-cache")
    cold = os.path.join(scratch, "cold-cache")
    empty = os.path.join(scratch, "empty-cache")
    online_cache = os.path.join(scratch, "online-cache")
    uvproj = os.path.join(scratch, "uvproj")
    os.makedirs(uvproj)
    for fn in ("pyproject.toml", "uv.lock"):
        shutil.copy(os.path.join(DEPS, fn), uvproj)

    def fresh(d):
        return lambda: (shutil.rmtree(d, ignore_errors=True), os.makedirs(d))

    update = [dj, "db", "update", "--url", f"{url}/all.zip", "--pypi-url",
              f"{url}/pypi/django/json"]
    # The warm cache the audits read, filled once, untimed.
    r = run_once(update + ["--cache-dir", warm], ROOT, env)
    if r["code"] != 0:
        raise SystemExit(f"db update failed:\n{r['stderr']}")

    def dg(key, label, inp, paths, extra, **kw):
        return dict(key=key, label=label, input=inp, tool="djguard", env=env,
                    cmd=[dj, "deps", *paths, "--format", "json", *extra], **kw)

    cases = [
        dict(key="update_cold", label="djguard db update (empty cache)",
             input=f"all.zip, {meta['zip_bytes'] / 1e6:.1f} MB",
             tool="djguard", env=env, cmd=update + ["--cache-dir", cold], prepare=fresh(cold),
             runs=args.update_runs, no_warmup=True, ok=(0,)),
        dict(key="update_304", label="djguard db update (unchanged, 304)", input="all.zip",
             tool="djguard", env=env, cmd=update + ["--cache-dir", warm], ok=(0,)),
        dg("builtin_all", "djguard deps, no OSV data (built-in Django only)", "bench/deps",
           [DEPS], ["--cache-dir", empty]),
        dg("warm_all", "**djguard deps, warm cache**", "bench/deps", [DEPS],
           ["--cache-dir", warm]),
        dg("warm_uv", "djguard deps, warm cache", "uv.lock", [UVLOCK], ["--cache-dir", warm]),
        dg("warm_req", "djguard deps, warm cache", "requirements.txt", [REQ],
           ["--cache-dir", warm]),
        dg("online_all", "djguard deps --online, no cache", "bench/deps", [DEPS],
           ["--online", "--osv-api", url, "--cache-dir", online_cache],
           prepare=fresh(online_cache)),
        dg("online_uv", "djguard deps --online, no cache", "uv.lock", [UVLOCK],
           ["--online", "--osv-api", url, "--cache-dir", online_cache],
           prepare=fresh(online_cache)),
        dg("online_req", "djguard deps --online, no cache", "requirements.txt", [REQ],
           ["--online", "--osv-api", url, "--cache-dir", online_cache],
           prepare=fresh(online_cache)),
    ]
    pa_cache = os.path.join(scratch, "pip-audit-cache")
    if not args.no_pip_audit:
        cases.append(dict(
            key="pip_audit_req", label="pip-audit -s osv (one query per package)",
            input="requirements.txt", tool="pip-audit", env=env, prepare=fresh(pa_cache),
            cmd=[os.path.join(bin_dir, "pip-audit"), "-r", REQ, "--disable-pip", "--no-deps",
                 "-s", "osv", "--osv-url", f"{url}/v1/query", "--progress-spinner", "off",
                 "-f", "json", "--cache-dir", pa_cache]))
    if not args.no_uv:
        uv_cmd = [os.path.join(bin_dir, "uv"), "audit", "--frozen", "--service-url", url,
                  "--output-format", "json"]
        # uv keeps the advisories it fetched in its cache (by id and modified time): one row
        # with an empty cache per run (like djguard --online), one with the cache kept.
        cases.append(dict(key="uv_audit", label="uv audit --frozen, empty uv cache",
                          input="uv.lock", tool="uv", env=uv_env, cwd=uvproj, cmd=uv_cmd,
                          prepare=fresh(uv_env["UV_CACHE_DIR"])))
        cases.append(dict(key="uv_audit_warm", label="uv audit --frozen, uv cache kept",
                          input="uv.lock", tool="uv", env=uv_env, cwd=uvproj, cmd=uv_cmd))

    recs = []
    try:
        for case in cases:
            print(f"== {case['key']}: {' '.join(case['cmd'])}", file=sys.stderr)
            rec = measure(case, server, args.runs, args.warmup, raw)
            recs.append(rec)
            print(f"   wall {ms(rec['wall']['median'])} ms, CPU {ms(rec['cpu']['median'])} ms, "
                  f"server {ms(rec['server_cpu_per_run'])} ms, {rec['requests_per_run']}",
                  file=sys.stderr)
        # Phase timings of each djguard audit (one extra run each).
        timings = {}
        for case in cases:
            if case["tool"] == "djguard" and case["cmd"][1] == "deps":
                if case.get("prepare"):
                    case["prepare"]()
                r = run_once(case["cmd"], ROOT, dict(case["env"], DJGUARD_TIMINGS="1"))
                timings[case["key"]] = [l for l in r["stderr"].splitlines()
                                        if l.startswith("timing:")]
        # The same clients once more, against a server that also returns withdrawn records
        # (api.osv.dev does not): which of them skip those by themselves? Untimed.
        wd_outputs = {}
        for case in cases:
            if case["key"] not in ("online_all", "pip_audit_req", "uv_audit"):
                continue
            # uv resolves `v1/querybatch` against --service-url like a relative link, so the
            # base needs its trailing slash; djguard strips it; pip-audit takes a full URL.
            cmd = [url + "/withdrawn/" if a == url else a.replace(url + "/", url + "/withdrawn/")
                   for a in case["cmd"]]
            if case.get("prepare"):
                case["prepare"]()
            path = os.path.join(raw, f"{case['key']}_withdrawn.out")
            r = run_once(cmd, case.get("cwd", ROOT), case["env"], path)
            if r["code"] not in (0, 1):
                raise SystemExit(f"{case['key']} (withdrawn): exit {r['code']}\n{r['stderr']}")
            wd_outputs[case["key"] + "_withdrawn"] = path
        # What pip-audit does with uv.lock.
        notes = []
        if not args.no_pip_audit:
            r = run_once([os.path.join(bin_dir, "pip-audit"), "--locked", DEPS, "-s", "osv",
                          "--osv-url", f"{url}/v1/query", "--progress-spinner", "off"],
                         ROOT, env)
            last = (r["stderr"].strip().splitlines() or ["(nothing on stderr)"])[-1]
            notes.append(f"`pip-audit --locked bench/deps` (uv.lock beside pyproject.toml): "
                         f"exit {r['code']}, \"{last}\"; pip-audit {meta['pip_audit']} reads "
                         f"requirements files, pyproject.toml (resolving it with pip) and "
                         f"pylock.toml, not uv.lock")
    finally:
        meta["load_after"] = loadavg()
        server.stop()

    # Update sizes.
    cold_files = {fn: os.path.getsize(os.path.join(cold, fn)) for fn in sorted(os.listdir(cold))}
    notes.append("cache after `db update`: " + ", ".join(f"{k} {v:,} bytes"
                                                        for k, v in cold_files.items()))
    for key, lines in timings.items():
        notes.append(f"DJGUARD_TIMINGS, {key}: " + "; ".join(l[len('timing: '):] for l in lines))

    by = {r["key"]: r for r in recs}
    outputs = {}
    for key, scope in (("warm_all", "all"), ("warm_uv", "uv"), ("warm_req", "req"),
                       ("online_all", "all"), ("online_uv", "uv"), ("online_req", "req")):
        items, data = djguard_items(by[key]["output"])
        outputs[key] = (scope, items)
    if "pip_audit_req" in by:
        outputs["pip_audit_req"] = ("req", pip_audit_items(by["pip_audit_req"]["output"])[0])
    for key in ("uv_audit", "uv_audit_warm"):
        if key in by:
            outputs[key] = ("uv", uv_items(by[key]["output"])[0])
    for key, path in wd_outputs.items():
        reader, scope = {"online_all_withdrawn": (djguard_items, "all"),
                         "pip_audit_req_withdrawn": (pip_audit_items, "req"),
                         "uv_audit_withdrawn": (uv_items, "uv")}[key]
        outputs[key] = (scope, reader(path)[0])
    agree = agreement(expected, outputs)
    oracle = oracle_crosscheck(os.path.join(out, "all.zip"), expected)
    # Do the tools name the same things beyond the vulnerabilities themselves?
    dj_rules = collections.Counter(f["rule"] for f in
                                   djguard_items(by["warm_all"]["output"])[1]["findings"])
    notes.append("djguard findings on bench/deps (warm cache) by rule: " +
                 ", ".join(f"{k} {v}" for k, v in sorted(dj_rules.items())))

    report_path = os.path.join(out, "report.md")
    text = write_report(report_path, meta, recs, agree, oracle, expected, notes)
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "runs": recs, "agreement": agree, "oracle": oracle,
                   "notes": notes}, fh, indent=1)
    print(text)
    print(f"(written to {report_path}; raw outputs in {raw})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
