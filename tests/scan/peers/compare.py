#!/usr/bin/env python3
"""djguard scan, DJ Checkup and the MDN HTTP Observatory CLI side by side on the local test
sites; writes a Markdown report (default: comparison.md next to this file).

    python3 tests/scan/sites.py up --state /tmp/cmp.json default_prod insecure_debug ... > /tmp/sites.jsonl
    python3 tests/scan/peers/compare.py /tmp/sites.jsonl
    python3 tests/scan/peers/compare.py            # starts (and stops) the default sites itself

Per site:
  * djguard as a user runs it: `djguard scan URL --format json [--ca-file CA]`; for nginx
    sites the HTTPS URL with `--http-port <nginx's plain port>`, so that the HTTP->HTTPS
    redirect across the two ports is seen;
  * DJ Checkup (`djcheckup --output-json URL`, REQUESTS_CA_BUNDLE=CA) and the Observatory
    (`node .../scan.js HOST:PORT`, NODE_EXTRA_CA_CERTS=CA) on the same URL; for nginx sites
    also on the plain-HTTP entry point, as run_peers.py does;
  * for the score reconciliation, djguard once more "as the Observatory sees the site": the
    Observatory takes one host:port and tries http:// and https:// on that same port, so
    djguard is given the same port for both (`--http-port P` for an https URL, `--https-port P`
    for an http one). Its `observatory_score` is then compared with the Observatory's score,
    test by test.

The Observatory CLI on npm (1.4.8) reports algorithmVersion 4; djguard follows version 6,
which adds Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy tests and scores
X-Frame-Options differently. Differences in those three tests are classed "expected"; any
other per-test difference is listed as a possible djguard bug, with both tools' results.

Raw outputs go to .cache/scan-sites/compare/ (ports change on every run).
Peers are expected where tests/scan/peers/README.md installs them.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
CACHE = ROOT / ".cache" / "scan-sites"
DJCHECKUP = CACHE / "peers-venv" / "bin" / "djcheckup"
OBS_PKG = CACHE / "npm" / "node_modules" / "@mdn" / "mdn-http-observatory"
OBSERVATORY = OBS_PKG / "src" / "scan.js"
RAW = CACHE / "compare"

DEFAULT_SITES = [
    "default_prod", "insecure_debug", "debug_strict_hosts", "hosts_star", "admin_moved", "csp_on",
    "csp_unsafe_inline", "csp_report_only", "bare_headers", "renamed_cookies", "hardened@nginx",
    "cookies_insecure@nginx", "hsts_off@nginx", "hsts_weak@nginx", "https_no_redirect@nginx",
    "proxy_header_missing@nginx",
]

# Tests whose scoring differs between the Observatory's algorithm 4 (npm 1.4.8) and 6.
V6_ONLY = {"cross-origin-opener-policy", "cross-origin-embedder-policy"}
RESCORED = {"x-frame-options"}

DJCHECKUP_SHORT = [
    (r"connect", "connect"),
    (r"admin site exposed", "admin at /admin"),
    (r"CSRF cookie set", "CSRF cookie missing"),
    (r"CSRF cookie HttpOnly", "CSRF HttpOnly"),
    (r"CSRF cookie have a SameSite", "CSRF SameSite"),
    (r"CSRF cookie Secure", "CSRF Secure"),
    (r"404 for non-existent", "no 404"),
    (r"DEBUG mode", "DEBUG"),
    (r"Strict-Transport-Security", "HSTS"),
    (r"redirect all HTTP", "HTTP->HTTPS"),
    (r"accessible via HTTPS", "HTTPS"),
    (r"login page exposed", "login URL"),
    (r"sessionid cookie set", "session cookie missing"),
    (r"sessionid cookie HttpOnly", "session HttpOnly"),
    (r"sessionid cookie Secure", "session Secure"),
    (r"sessionid cookie have a SameSite", "session SameSite"),
    (r"X-Frame-Options", "XFO"),
]


def log(msg: str) -> None:
    print(f"compare: {msg}", file=sys.stderr, flush=True)


def run(tag: str, cmd: list[str], env_extra: dict[str, str] | None = None, timeout: int = 180) -> dict:
    env = dict(os.environ, **(env_extra or {}))
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
        out, err, rc = res.stdout, res.stderr, res.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = (e.stdout or "") if isinstance(e.stdout, str) else "", "", "timeout"
    wall = time.perf_counter() - t0
    RAW.mkdir(parents=True, exist_ok=True)
    (RAW / f"{tag}.out").write_text(out)
    if err:
        (RAW / f"{tag}.err").write_text(err)
    shown = " ".join(f"{k}={v}" for k, v in (env_extra or {}).items())
    shown = (shown + " " if shown else "") + " ".join(cmd)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    return {"cmd": shown, "rc": rc, "doc": doc, "wall": wall, "stderr": err[-500:]}


# ---------------------------------------------------------------------------------------------
# the tools


def djguard(binary: str, tag: str, url: str, ca: str | None, extra: list[str]) -> dict:
    cmd = [binary, "scan", url, "--format", "json", "--no-progress", *extra]
    if ca:
        cmd += ["--ca-file", ca]
    r = run(tag, cmd)
    r["site"] = r["doc"]["sites"][0] if r["doc"] and r["doc"].get("sites") else None
    return r


def djcheckup(tag: str, url: str, ca: str | None) -> dict | None:
    if not DJCHECKUP.exists():
        return None
    return run(tag, [str(DJCHECKUP), "--output-json", url], {"REQUESTS_CA_BUNDLE": ca} if ca else {})


def observatory(tag: str, url: str, ca: str | None) -> dict | None:
    if not OBSERVATORY.exists():
        return None
    host = urlsplit(url).netloc
    return run(tag, ["node", str(OBSERVATORY), host], {"NODE_EXTRA_CA_CERTS": ca} if ca else {})


# ---------------------------------------------------------------------------------------------
# rendering


def dj_cell(s: dict | None) -> str:
    if not s:
        return "no report"
    if not s.get("grade"):
        return f"not graded: {'; '.join(s.get('errors') or [])}"
    cap = " (capped)" if s.get("capped_by") else ""
    return (f"**{s['grade']}** {s['score']}{cap}; Obs-compat {s['observatory_grade']} {s['observatory_score']}")


def dj_rules(s: dict | None) -> str:
    if not s:
        return "-"
    sev = {}
    for f in s.get("findings", []):
        sev.setdefault(f["rule"], f["severity"])
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    rules = sorted(sev, key=lambda r: (order.get(sev[r], 9), r))
    return " ".join(f"{r}{'!' if sev[r] in ('critical', 'high') else ''}" for r in rules) or "-"


def obs_cell(r: dict | None) -> str:
    if r is None:
        return "not installed"
    d = r["doc"]
    if not d:
        return f"no output (exit {r['rc']})"
    if "error" in d:
        return f"error: {d['error']}"
    failed = [f"{k} {v['scoreModifier']:+d}" for k, v in d["tests"].items() if not v.get("pass")]
    return f"**{d['scan']['grade']}** {d['scan']['score']}; failed: {', '.join(failed) or 'none'}"


def djc_failures(r: dict | None) -> list[str] | None:
    if r is None or not r["doc"]:
        return None
    out = []
    for c in r["doc"].get("check_results", []):
        if c.get("result") == "success":
            continue
        name = c.get("name", "")
        short = next((s for pat, s in DJCHECKUP_SHORT if re.search(pat, name, re.I)), name)
        if "error occurred" in c.get("message", ""):
            m = re.search(r"\*\*(\w+)\*\*", c["message"])
            short += f" ({m.group(1) if m else 'error'})"
        out.append(short)
    return out


def djc_cell(r: dict | None) -> str:
    if r is None:
        return "not installed"
    f = djc_failures(r)
    if f is None:
        return f"no output (exit {r['rc']})"
    return f"{len(f)}: {', '.join(f)}" if f else "0"


def curve(mods: list[int]) -> int:
    """The Observatory's total: bonuses only when the penalties leave 90 or more."""
    pen = sum(m for m in mods if m < 0)
    bonus = sum(m for m in mods if m > 0)
    unc = 100 + pen
    return max(0, unc + bonus if unc >= 90 else unc)


def port_artifact(name: str, a_res: str, b_res: str, dj: dict, ob: dict, plain_port_of_tls_site: bool) -> str:
    """Differences that come from the Observatory's one-port view, not from scoring: given
    the plain-HTTP port of a site whose HTTPS is on another port, the Observatory follows the
    redirect for its `auto` page but asks https:// on the *plain* port for its HSTS test
    (which fails), and its cookie test then treats the site as having no HSTS. djguard takes
    HSTS from the HTTPS page the redirect landed on."""
    if not plain_port_of_tls_site:
        return ""
    hsts_b = ob.get("strict-transport-security", {}).get("result")
    if hsts_b != "hsts-not-implemented-no-https":
        return ""
    if name == "strict-transport-security" and a_res != b_res:
        return "port artifact: the Observatory tried https:// on the plain port"
    if name == "cookies" and "hsts" not in b_res and a_res != b_res:
        hsts_a = dj.get("strict-transport-security", {}).get("result", "")
        if hsts_a.startswith("hsts-implemented") or hsts_a == "hsts-preloaded":
            return "port artifact: follows from the HSTS difference (cookie penalties depend on HSTS)"
    return ""


def reconcile(dj_site: dict, obs_doc: dict, plain_port_of_tls_site: bool = False) -> dict:
    """Per-test differences between djguard's Observatory-compatible tests and the real one."""
    dj = {t["test"]: t for t in dj_site.get("tests", [])}
    ob = obs_doc["tests"]
    rows, unexpected = [], []
    adjusted = []
    for name in sorted(set(dj) | set(ob)):
        a, b = dj.get(name), ob.get(name)
        a_res, a_mod = (a["result"], a["modifier"]) if a else ("-", 0)
        b_res, b_mod = (b["result"], b["scoreModifier"]) if b else ("-", 0)
        artifact = port_artifact(name, a_res, b_res, dj, ob, plain_port_of_tls_site)
        if name in V6_ONLY and b is None:
            kind = "expected: test not in algorithm 4"
        elif name in RESCORED and a_res == b_res:
            kind = "expected: scored differently in algorithm 6" if a_mod != b_mod else ""
        elif artifact and (a_res, a_mod) != (b_res, b_mod):
            kind = artifact
        else:
            kind = "" if (a_res, a_mod) == (b_res, b_mod) else "UNEXPECTED"
        # djguard's tests rescored the algorithm-4 way: drop the v6-only tests and take the
        # Observatory's modifier for the rescored ones when the results agree (and for the
        # port artifacts, which are not about scoring).
        if b is not None:
            adjusted.append(b_mod if ((name in RESCORED and a_res == b_res) or kind.startswith("port")) else a_mod)
        if kind and not (kind.startswith("expected: test not in") and a_mod == 0):
            rows.append((name, f"{a_res} {a_mod:+d}" if a else "-", f"{b_res} {b_mod:+d}" if b else "-", kind))
        if kind == "UNEXPECTED":
            unexpected.append((name, a_res, a_mod, b_res, b_mod))
    return {"rows": rows, "unexpected": unexpected, "adjusted": curve(adjusted)}


# ---------------------------------------------------------------------------------------------


def start_sites(specs: list[str]) -> tuple[Path, Path]:
    state = RAW / "state.json"
    RAW.mkdir(parents=True, exist_ok=True)
    out = RAW / "sites.jsonl"
    with open(out, "w") as fh:
        rc = subprocess.run([sys.executable, str(HERE.parent / "sites.py"), "up", "--state", str(state), *specs],
                            stdout=fh).returncode
    if rc != 0:
        log(f"sites.py up exited {rc} (some sites may be missing)")
    return out, state


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sites_jsonl", nargs="?", help="output of `sites.py up` (default: start DEFAULT_SITES)")
    ap.add_argument("--djguard", default=str(ROOT / "target" / "release" / "djguard"))
    ap.add_argument("--out", default=str(HERE / "comparison.md"))
    args = ap.parse_args()
    started_state = None
    if args.sites_jsonl:
        jsonl = Path(args.sites_jsonl)
    else:
        jsonl, started_state = start_sites(DEFAULT_SITES)
    try:
        sites = [json.loads(l) for l in open(jsonl) if l.strip()]
        sites = [s for s in sites if "name" in s]
        results = []
        for s in sites:
            name, safe, ca = s["name"], s["name"].replace("@", "-"), s.get("ca_file")
            log(name)
            r = {"site": s}
            if s.get("https_url"):
                hp = str(urlsplit(s["url"]).port)
                sp = str(urlsplit(s["https_url"]).port)
                r["dj"] = djguard(args.djguard, f"djguard-{safe}", s["https_url"], ca, ["--http-port", hp])
                r["dj_view"] = {
                    "https": djguard(args.djguard, f"djguard-obsview-{safe}", s["https_url"], ca, ["--http-port", sp]),
                    "http": djguard(args.djguard, f"djguard-obsview-{safe}-http", s["url"], ca, ["--https-port", hp]),
                }
                r["djc"] = {"https": djcheckup(f"djcheckup-{safe}", s["https_url"], ca),
                            "http": djcheckup(f"djcheckup-{safe}-http", s["url"], ca)}
                r["obs"] = {"https": observatory(f"observatory-{safe}", s["https_url"], ca),
                            "http": observatory(f"observatory-{safe}-http", s["url"], ca)}
            else:
                r["dj"] = djguard(args.djguard, f"djguard-{safe}", s["url"], ca, [])
                r["dj_view"] = {"http": r["dj"]}
                r["djc"] = {"http": djcheckup(f"djcheckup-{safe}", s["url"], ca)}
                r["obs"] = {"http": observatory(f"observatory-{safe}", s["url"], ca)}
            results.append(r)
        text = render(results, args.djguard)
    finally:
        if started_state:
            subprocess.run([sys.executable, str(HERE.parent / "sites.py"), "down", "--state", str(started_state)],
                           stdout=subprocess.DEVNULL)
    Path(args.out).write_text(text)
    (RAW / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print(text)
    return 0


def versions(binary: str) -> str:
    def out(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    dj = out([binary, "--version"])
    djc = "?"
    pip = DJCHECKUP.parent / "pip"
    if pip.exists():
        m = re.search(r"Version: (\S+)", out([str(pip), "show", "djcheckup"]))
        djc = m.group(1) if m else "?"
    obs = "?"
    try:
        obs = json.loads((OBS_PKG / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        pass
    return f"{dj}; djcheckup {djc}; @mdn/mdn-http-observatory {obs} (`scan.js`, algorithmVersion 4)"


def label(kind: str) -> str:
    if kind == "UNEXPECTED":
        return "**unexpected**"
    if kind.startswith("expected: test not in"):
        return "v6 only"
    if kind.startswith("expected: scored"):
        return "v6 rescored"
    if kind.startswith("port artifact: follows"):
        return "port, via HSTS"
    if kind.startswith("port"):
        return "port"
    return kind


def render(results: list[dict], binary: str) -> str:
    L = ["# djguard scan vs DJ Checkup vs MDN HTTP Observatory", ""]
    L.append(f"Generated by `tests/scan/peers/compare.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
             f"{versions(binary)}. Sites from `tests/scan/sites.py` on loopback (ports differ per run).")
    L.append("")
    L.append("How each tool was pointed at a site: djguard gets the URL a user would give (for nginx sites the "
             "HTTPS URL plus `--http-port` of the plain port); the peers get the same URL, and for nginx sites "
             "also the plain-HTTP port, because both assume HTTP and HTTPS share one port. `!` marks a "
             "critical or high finding. Observatory 'failed' lists the tests whose `pass` is false, with "
             "their modifier; DJ Checkup lists the checks that did not succeed.")
    L.append("")
    L.append("## What each tool reports")
    L.append("")
    L.append("| site | entry point | djguard grade / score (Observatory-compatible) | djguard rules | Observatory grade, score; failed tests | DJ Checkup failures |")
    L.append("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        s = r["site"]
        dj = r["dj"]["site"]
        ports = ["https", "http"] if s.get("https_url") else ["http"]
        for k, port in enumerate(ports):
            url = s["https_url"] if port == "https" else s["url"]
            entry = f"`{urlsplit(url).scheme}` :{urlsplit(url).port}"
            if k == 0:
                if s.get("https_url"):
                    entry += f" (djguard: + `--http-port {urlsplit(s['url']).port}`)"
                L.append(f"| `{s['name']}` | {entry} | {dj_cell(dj)} | {dj_rules(dj)} | {obs_cell(r['obs'][port])} | {djc_cell(r['djc'][port])} |")
            else:
                L.append(f"| | {entry} | (one run covers both) | | {obs_cell(r['obs'][port])} | {djc_cell(r['djc'][port])} |")
    L.append("")
    L.append("## Checks across the tools")
    L.append("")
    L += checks_table(results)
    L.append("")
    L.append("## djguard's Observatory-compatible score vs the Observatory's")
    L.append("")
    L.append("djguard run with the same single port the Observatory scans (`--http-port P` / `--https-port P`, "
             "P = the port the Observatory was given), so that both see the same responses. "
             "'djguard as v4' is djguard's own test results scored the algorithm-4 way (COOP and COEP dropped, "
             "the Observatory's X-Frame-Options modifier); it should equal the Observatory's score.")
    L.append("")
    L.append("For the plain-HTTP port of an nginx site, the Observatory follows the redirect to the HTTPS port for "
             "its page but asks `https://` on the plain port itself for HSTS, which fails; djguard takes HSTS from "
             "the HTTPS page the redirect reached. Those rows are labelled `port` and taken at the "
             "Observatory's value in 'djguard as v4'.")
    L.append("")
    L.append("| site | port | Observatory (v4) | djguard `observatory_score` | djguard as v4 | differing tests: djguard vs Observatory |")
    L.append("| --- | --- | ---: | ---: | ---: | --- |")
    unexpected_all = []
    for r in results:
        s = r["site"]
        for port, o in r["obs"].items():
            dv = r["dj_view"].get(port)
            dsite = dv["site"] if dv else None
            if not o or not o["doc"] or "error" in o["doc"] or not dsite or dsite.get("observatory_score") is None:
                why = (o["doc"].get("error") if o and o["doc"] else "no Observatory output") if o else "not run"
                L.append(f"| `{s['name']}` | {port} | {why} | {dsite.get('observatory_score') if dsite else '-'} | - | - |")
                continue
            rec = reconcile(dsite, o["doc"], plain_port_of_tls_site=bool(s.get("https_url")) and port == "http")
            diffs = "; ".join(f"{n}: {a} vs {b} [{label(k)}]" for n, a, b, k in rec["rows"]) or "none"
            ok = "" if rec["adjusted"] == o["doc"]["scan"]["score"] else " **≠**"
            L.append(f"| `{s['name']}` | {port} | {o['doc']['scan']['grade']} {o['doc']['scan']['score']} | "
                     f"{dsite['observatory_grade']} {dsite['observatory_score']} | {rec['adjusted']}{ok} | {diffs} |")
            for u in rec["unexpected"]:
                unexpected_all.append((s["name"], port, *u))
    L.append("")
    if unexpected_all:
        L.append("Per-test differences outside X-Frame-Options / COOP / COEP (possible djguard bugs; see the "
                 "notes below for each):")
        L.append("")
        for name, port, test, a, am, b, bm in unexpected_all:
            L.append(f"- `{name}` ({port}): `{test}`: djguard `{a}` ({am:+d}), Observatory `{b}` ({bm:+d})")
    else:
        L.append("No per-test difference outside X-Frame-Options / COOP / COEP.")
    L.append("")
    L.append("Labels (tests that differ only by a 0-modifier COOP/COEP result are not listed): `v6 only` = COOP/COEP, tests algorithm 4 does not have; `v6 rescored` = same result, other "
             "modifier (X-Frame-Options: DENY/SAMEORIGIN is +5 in djguard, 0 in algorithm 4); `port` / `port, via "
             "HSTS` = the one-port artifact described above; `unexpected` = anything else.")
    L.append("")
    notes = HERE / "comparison_notes.md"
    if notes.exists():
        L.append(notes.read_text().rstrip())
        L.append("")
    L.append("## Commands")
    L.append("")
    L.append("Exactly as run (raw outputs in `.cache/scan-sites/compare/`):")
    L.append("")
    L.append("```")
    for r in results:
        for key in ("dj",):
            L.append(r[key]["cmd"])
        for port, v in r["dj_view"].items():
            if v is not r["dj"]:
                L.append(v["cmd"])
        for group in ("djc", "obs"):
            for v in r[group].values():
                if v:
                    L.append(v["cmd"])
    L.append("```")
    return "\n".join(L) + "\n"


CHECKS = [
    # (label, djguard rules, Observatory test failing, DJ Checkup short name)
    ("DEBUG pages", {"DJG422"}, None, "DEBUG"),
    ("any Host accepted", {"DJG423"}, None, None),
    ("Django version disclosed", {"DJG430"}, None, None),
    ("development server", {"DJG424"}, None, None),
    ("admin at /admin/", {"DJG425"}, None, "admin at /admin"),
    ("no HTTPS / no redirect", {"DJG401", "DJG402"}, "redirection", "HTTP->HTTPS"),
    ("HSTS missing/weak", {"DJG406"}, "strict-transport-security", "HSTS"),
    ("no CSP / unsafe CSP", {"DJG408", "DJG409"}, "content-security-policy", None),
    ("clickjacking (no XFO / frame-ancestors)", {"DJG411"}, "x-frame-options", "XFO"),
    ("nosniff missing", {"DJG412"}, "x-content-type-options", None),
    ("cookie without Secure", {"DJG419"}, "cookies", "Secure"),
    ("session cookie without HttpOnly", {"DJG420"}, "cookies", "session HttpOnly"),
    ("script without SRI", {"DJG417"}, "subresource-integrity", None),
]


def checks_table(results: list[dict]) -> list[str]:
    """One row per check, one column per site: which tools flagged it (d = djguard,
    o = Observatory on any port, c = DJ Checkup on any port)."""
    names = [r["site"]["name"].replace("@nginx", "@n") for r in results]
    out = ["Who flags what (d = djguard, o = Observatory, c = DJ Checkup; any entry point; "
           "`-` = nobody). Observatory: its test failed; DJ Checkup: a check containing the name failed.",
           "",
           "| check | " + " | ".join(f"`{n}`" for n in names) + " |",
           "| --- |" + " --- |" * len(names)]
    for label, rules, obs_test, djc in CHECKS:
        cells = []
        for r in results:
            dj = r["dj"]["site"] or {}
            d = bool(rules & {f["rule"] for f in dj.get("findings", [])})
            o = False
            if obs_test:
                for v in r["obs"].values():
                    t = (v or {}).get("doc") or {}
                    t = t.get("tests", {}).get(obs_test)
                    if t and not t.get("pass"):
                        if obs_test == "cookies" and djc == "Secure" and "secure" not in t["result"]:
                            continue
                        if obs_test == "cookies" and djc == "session HttpOnly" and "httponly" not in t["result"]:
                            continue
                        o = True
            c = False
            if djc:
                for v in r["djc"].values():
                    c = c or any(djc.lower() in f.lower() for f in (djc_failures(v) or []))
            cells.append("".join(x for x, y in (("d", d), ("o", o), ("c", c)) if y) or "-")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out


if __name__ == "__main__":
    sys.exit(main())
