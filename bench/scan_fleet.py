#!/usr/bin/env python3
"""Helper of bench/scan_fleet.sh (standard library only): a fleet of virtual hosts on
loopback, served by one nginx, and the timing of `djguard scan --from FILE` (and of the peer
scanners) against it.

    scan_fleet.py gen   --out DIR [--sites 500] [--tls-every 5]
        Write DIR/nginx.conf, DIR/urls.txt, DIR/sites.json and, for the TLS share, a test CA
        and one leaf certificate (DIR/tls/). Site i (0-based) listens on 127.0.X.Y with
        X = 1 + i // 250, Y = 1 + i % 250: every site is its own host for djguard's per-host
        politeness, and nothing binds 0.0.0.0.
    scan_fleet.py serve --out DIR
        Generate (as gen), start nginx in the foreground and wait; Ctrl-C stops it.
    scan_fleet.py bench --out DIR --djguard BIN [--runs 3] [--concurrency "1 16 64"] ...
        Generate, start nginx, time djguard over every URL once per concurrency and run, time
        the peers on a sample, stop nginx, print the report and write DIR/report.md and
        DIR/results.json. --delays "0 20" adds runs with djguard's --delay-ms (idle time per
        request, standing in for network latency).
    scan_fleet.py report --out DIR
        Re-render DIR/report.md from a finished bench run (results.json and raw/).

Site profiles (assigned by index, so the mix is the same on every run; see PROFILES):
common ones cycle over the sites, two rare ones (DEBUG pages, an exposed .env) replace
every 25th / 50th site, every 100th site is dead (nothing listens: connection refused), and
every `--tls-every`th site is served over TLS (self-signed test CA, passed with --ca-file),
its plain-HTTP port redirecting to HTTPS.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "scan-sites"
DJCHECKUP = CACHE / "peers-venv" / "bin" / "djcheckup"
OBSERVATORY = CACHE / "npm" / "node_modules" / "@mdn" / "mdn-http-observatory" / "src" / "scan.js"

# ---------------------------------------------------------------------------------------------
# the sites


def addr(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


# Response bodies. No `$` anywhere (nginx would read it as a variable in `return` text).
DJANGO_404 = """<!doctype html>
<html lang="en">
<head>
  <title>Not Found</title>
</head>
<body>
  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>
</body>
</html>
"""

DJANGO_400 = """<!doctype html>
<html lang="en">
<head>
  <title>Bad Request (400)</title>
</head>
<body>
  <h1>Bad Request (400)</h1><p></p>
</body>
</html>
"""

DEBUG_404 = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <title>Page not found at /</title>
  <meta name="robots" content="NONE,NOARCHIVE">
</head>
<body>
  <header id="summary">
    <h1>Page not found <small>(404)</small></h1>
    <table class="meta">
      <tr><th scope="row">Request Method:</th><td>GET</td></tr>
    </table>
  </header>
  <main id="info">
      <p>
      Using the URLconf defined in <code>shop.urls</code>,
      Django tried these URL patterns, in this order:
      </p>
      <ol>
          <li><code>[name='home']</code></li>
          <li><code>admin/</code></li>
          <li><code>api/</code></li>
      </ol>
      <p>The current path didn\u2019t match any of these.</p>
  </main>
  <footer id="explanation">
    <p>
      You\u2019re seeing this error because you have <code>DEBUG = True</code> in
      your Django settings file. Change that to <code>False</code>, and Django
      will display a standard 404 page.
    </p>
  </footer>
</body>
</html>
"""

ADMIN_LOGIN = """<!DOCTYPE html>
<html lang="en-us" dir="ltr">
<head>
<title>Log in | Django site admin</title>
<link rel="stylesheet" href="/static/admin/css/base.css">
<link rel="stylesheet" href="/static/admin/css/login.css">
<meta name="robots" content="NONE,NOARCHIVE">
</head>
<body class=" login">
<div id="container">
<div id="site-name"><a href="/admin/">Django administration</a></div>
<div id="content-main">
<form action="/admin/login/?next=/admin/" method="post" id="login-form"><input type="hidden" name="csrfmiddlewaretoken" value="kq3N8wZ2ymkYexpOMOc3jIAFSPvh4aSllVUFUN8ffcO7LepuxaL8arhGY9z4txda">
  <div class="form-row">
    <label for="id_username" class="required">Username:</label> <input type="text" name="username" autofocus maxlength="150" required id="id_username">
  </div>
  <div class="form-row">
    <label for="id_password" class="required">Password:</label> <input type="password" name="password" required id="id_password">
    <input type="hidden" name="next" value="/admin/">
  </div>
  <div class="submit-row"><input type="submit" value="Log in"></div>
</form>
</div>
</div>
</body>
</html>
"""

NGINX_404 = None  # nginx's own error page (`return 404;`)

DOTENV = """# production
SECRET_KEY=django-insecure-9x8c7v6b5n4m3l2k1j0h9g8f7d6s5a4q3w2e1r0t
DEBUG=False
DATABASE_URL=postgres://shop:hunter2@db.internal:5432/shop
EMAIL_HOST_PASSWORD=correct-horse-battery-staple
"""


def home_page(i: int, title: str, extra_head: str = "", extra_body: str = "", form: bool = True) -> str:
    tok = f"{i:04d}" + "Q3w2E1r0T9y8U7i6O5p4A3s2D1f0G9h8J7k6L5z4X3c2V1b0N9m8Q7w6E5r4T3y"[: 60]
    f = (
        f"""  <form method="post" action="/">
    <input type="hidden" name="csrfmiddlewaretoken" value="{tok}">
    <label for="id_q">Search</label> <input id="id_q" name="q" type="text">
    <button type="submit">Go</button>
  </form>
"""
        if form
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} #{i}</title>
{extra_head}</head>
<body>
  <h1>{title} #{i}</h1>
  <p>Welcome to site number {i} of the fleet.</p>
{f}{extra_body}  <p><a href="/about/">About</a></p>
</body>
</html>
"""


def session_value(i: int) -> str:
    # Django's shape: 32 lower-case letters and digits.
    rnd = random.Random(i)
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))


def csrf_value(i: int) -> str:
    rnd = random.Random(-i - 1)
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))


STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
UNSAFE_CSP = "default-src 'self' https:; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:; style-src 'self' 'unsafe-inline'"
DJANGO_HEADERS = [
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
EXT_SCRIPT = '  <script src="https://cdn.jsdelivr.net/npm/htmx.org@2.0.4/dist/htmx.min.js"></script>\n'

# name -> description (README and report); the builder is `profile_spec`.
PROFILES = {
    "bare_nginx": "nginx's defaults: `Server: nginx/1.22.1`, no security header, no cookie, nginx's own 404, any Host",
    "django_default": "`startproject` defaults with DEBUG off: XFO DENY, nosniff, Referrer-Policy, COOP, csrftoken + sessionid (no Secure), admin at /admin/, Django's 404 and 400 pages",
    "hardened": "HSTS 1 year + includeSubDomains (on TLS), strict CSP, XFO, nosniff, Referrer-Policy, COOP, Secure/HttpOnly cookies, admin moved",
    "csp_unsafe": "Django defaults + CSP with 'unsafe-inline'/'unsafe-eval' and https:, a CDN script without integrity",
    "cookies_loose": "Django defaults but cookies without HttpOnly, Secure or SameSite",
    "hosts_star": "Django defaults but ALLOWED_HOSTS=['*']: any Host gets the home page",
    "static_site": "no cookie, CSP in a <meta> tag, XFO SAMEORIGIN, nosniff, no Referrer-Policy; HSTS 6 months on TLS",
    "debug_on": "(every 25th site) DEBUG=True and ALLOWED_HOSTS=['*']: technical 404 page",
    "dotenv": "(every 50th site) Django defaults plus /.env served as text/plain",
    "dead": "(every 100th site) nothing listens: connection refused",
}
COMMON = ["bare_nginx", "django_default", "hardened", "csp_unsafe", "cookies_loose", "hosts_star", "static_site"]


def assign(n: int, tls_every: int) -> list[dict]:
    sites = []
    for i in range(n):
        if i % 100 == 99:
            profile = "dead"
        elif i % 50 == 37:
            profile = "dotenv"
        elif i % 25 == 12:
            profile = "debug_on"
        else:
            profile = COMMON[i % len(COMMON)]
        tls = tls_every > 0 and i % tls_every == 0 and profile != "dead"
        sites.append({"i": i, "addr": addr(i), "profile": profile, "tls": tls})
    return sites


def profile_spec(site: dict) -> dict:
    """What a site answers: headers (every response), cookies (home page only), the bodies,
    whether it checks Host, its admin and extra files."""
    i, p, tls = site["i"], site["profile"], site["tls"]
    spec = {
        "server_tokens": p in ("bare_nginx", "static_site", "debug_on"),
        "headers": [],
        "cookies": [],
        "home": "",
        "not_found": DJANGO_404,
        "strict_host": True,
        "admin": True,
        "files": {},
    }
    if p == "bare_nginx":
        spec.update(home=home_page(i, "Welcome to nginx", form=False), not_found=NGINX_404, strict_host=False, admin=False)
        return spec
    if p == "static_site":
        meta = f'  <meta http-equiv="Content-Security-Policy" content="{STRICT_CSP}">\n'
        spec.update(home=home_page(i, "Brochure", extra_head=meta, form=False), not_found=NGINX_404,
                    strict_host=False, admin=False,
                    headers=[("X-Frame-Options", "SAMEORIGIN"), ("X-Content-Type-Options", "nosniff")])
        if tls:
            spec["headers"].append(("Strict-Transport-Security", "max-age=15768000"))
        return spec
    sess, csrf = session_value(i), csrf_value(i)
    spec["headers"] = list(DJANGO_HEADERS)
    spec["cookies"] = [f"csrftoken={csrf}; Max-Age=31449600; Path=/; SameSite=Lax",
                       f"sessionid={sess}; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"]
    spec["home"] = home_page(i, "Shop")
    if p == "hardened":
        spec["headers"].append(("Content-Security-Policy", STRICT_CSP))
        if tls:
            spec["headers"].append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        spec["cookies"] = [f"csrftoken={csrf}; HttpOnly; Max-Age=31449600; Path=/; SameSite=Lax; Secure",
                           f"sessionid={sess}; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax; Secure"]
        spec["admin"] = False
    elif p == "csp_unsafe":
        spec["headers"].append(("Content-Security-Policy", UNSAFE_CSP))
        spec["home"] = home_page(i, "Shop", extra_body=EXT_SCRIPT)
    elif p == "cookies_loose":
        spec["cookies"] = [f"csrftoken={csrf}; Max-Age=31449600; Path=/",
                           f"sessionid={sess}; Max-Age=1209600; Path=/"]
    elif p == "hosts_star":
        spec["strict_host"] = False
    elif p == "debug_on":
        spec.update(strict_host=False, not_found=DEBUG_404)
    elif p == "dotenv":
        spec["files"]["/.env"] = DOTENV
    return spec


# ---------------------------------------------------------------------------------------------
# nginx configuration


def q(s: str) -> str:
    """An nginx double-quoted string."""
    assert "$" not in s, s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_headers(headers, cookies=()) -> list[str]:
    out = [f"add_header {name} {q(value)} always;" for name, value in headers]
    out += [f"add_header Set-Cookie {q(c)};" for c in cookies]
    return out


def server_block(site: dict, http_port: int, https_port: int, tls_dir: Path) -> str:
    a = site["addr"]
    spec = profile_spec(site)
    lines = []
    if site["tls"]:
        # The plain-HTTP port only redirects, like nginx's usual port-80 server.
        lines += [
            "server {",
            f"  listen {a}:{http_port};",
            "  server_tokens off;" if not spec["server_tokens"] else "  server_tokens on;",
            f"  return 301 https://{a}:{https_port}$request_uri;",
            "}",
        ]
        listen = [f"  listen {a}:{https_port} ssl;",
                  f"  ssl_certificate {tls_dir / 'leaf.pem'};",
                  f"  ssl_certificate_key {tls_dir / 'leaf.key'};"]
    else:
        listen = [f"  listen {a}:{http_port};"]
    lines += ["server {"] + listen
    lines.append("  server_tokens on;" if spec["server_tokens"] else "  server_tokens off;")
    hdr = add_headers(spec["headers"])
    if spec["strict_host"]:
        # Django's ALLOWED_HOSTS: a made-up Host header gets the 400 page.
        lines += [f'  if ($host != "{a}") {{', f"    return 400 {q(DJANGO_400)};", "  }"]
    lines += ["  location = / {"] + ["    " + h for h in add_headers(spec["headers"], spec["cookies"])]
    lines += [f"    return 200 {q(spec['home'])};", "  }"]
    if spec["admin"]:
        lines += ["  location = /admin {"] + ["    " + h for h in hdr] + ["    return 301 /admin/;", "  }"]
        lines += ["  location = /admin/ {"] + ["    " + h for h in hdr]
        lines += ["    return 302 /admin/login/?next=/admin/;", "  }"]
        login_cookie = [c for c in spec["cookies"] if c.startswith("csrftoken=")]
        lines += ["  location = /admin/login/ {"] + ["    " + h for h in add_headers(spec["headers"], login_cookie)]
        lines += [f"    return 200 {q(ADMIN_LOGIN)};", "  }"]
    for path, body in spec["files"].items():
        lines += [f"  location = {path} {{", "    default_type text/plain;"] + ["    " + h for h in hdr]
        lines += [f"    return 200 {q(body)};", "  }"]
    lines += ["  location / {"] + ["    " + h for h in hdr]
    lines.append("    return 404;" if spec["not_found"] is None else f"    return 404 {q(spec['not_found'])};")
    lines += ["  }", "}"]
    return "\n".join(lines)


def nginx_conf(out: Path, sites: list[dict], http_port: int, https_port: int, workers: int) -> str:
    tls_dir = out / "tls"
    blocks = [server_block(s, http_port, https_port, tls_dir) for s in sites if s["profile"] != "dead"]
    return f"""# generated by bench/scan_fleet.py: {len(sites)} sites, {len(blocks)} live
worker_processes {workers};
worker_rlimit_nofile 16384;
daemon off;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 8192; }}
http {{
  default_type "text/html; charset=utf-8";
  absolute_redirect off;
  log_format fleet '$server_addr $server_port $request_method $status "$request_uri" "$http_user_agent"';
  access_log {out}/access.log fleet;
  client_body_temp_path {out}/tmp/body;
  proxy_temp_path {out}/tmp/proxy;
  fastcgi_temp_path {out}/tmp/fastcgi;
  uwsgi_temp_path {out}/tmp/uwsgi;
  scgi_temp_path {out}/tmp/scgi;
  ssl_protocols TLSv1.2 TLSv1.3;
  keepalive_timeout 15;
{chr(10).join(blocks)}
}}
"""


def make_tls(out: Path, sites: list[dict]) -> Path:
    """A CA and one leaf whose SAN lists the address of every TLS site."""
    d = out / "tls"
    d.mkdir(parents=True, exist_ok=True)
    ips = [s["addr"] for s in sites if s["tls"]]
    stamp = d / "ips.txt"
    if stamp.exists() and stamp.read_text() == "\n".join(ips) and (d / "leaf.pem").exists():
        # reuse it while it stays valid for 60 more days (djguard warns from 30, DJG404)
        ok = subprocess.run(["openssl", "x509", "-checkend", str(60 * 86400), "-noout", "-in", str(d / "leaf.pem")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if ok:
            return d / "ca.pem"
    run = lambda *a: subprocess.run(["openssl", *a], cwd=d, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
        "-subj", "/CN=djguard fleet bench CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=fleet.test")
    san = ",".join(["DNS:fleet.test"] + [f"IP:{a}" for a in ips])
    (d / "ext.cnf").write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        f"extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName={san}\n")
    run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem",
        "-days", "397", "-sha256", "-extfile", "ext.cnf")
    stamp.write_text("\n".join(ips))
    return d / "ca.pem"


def free_port(host: str = "127.0.1.1", avoid: tuple[int, ...] = ()) -> int:
    while True:
        s = socket.socket()
        s.bind((host, 0))
        port = s.getsockname()[1]
        s.close()
        if port not in avoid:
            return port


def bindable(port: int, host: str = "127.0.1.1") -> bool:
    s = socket.socket()
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def url_of(site: dict, http_port: int, https_port: int) -> str:
    if site["tls"]:
        return f"https://{site['addr']}:{https_port}/"
    return f"http://{site['addr']}:{http_port}/"


def generate(out: Path, n: int, tls_every: int, workers: int, http_port: int = 0, https_port: int = 0) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for t in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (out / "tmp" / t).mkdir(parents=True, exist_ok=True)
    sites = assign(n, tls_every)
    if not (http_port and https_port):
        # the ports of the last generation when they are still free: stable URLs between
        # `serve` and `bench` runs
        try:
            old = json.loads((out / "sites.json").read_text())
            if all(bindable(old[k]) for k in ("http_port", "https_port")):
                http_port, https_port = old["http_port"], old["https_port"]
        except (OSError, ValueError, KeyError):
            pass
    http_port = http_port or free_port()
    https_port = https_port or free_port(avoid=(http_port,))
    ca = make_tls(out, sites)
    (out / "nginx.conf").write_text(nginx_conf(out, sites, http_port, https_port, workers))
    for s in sites:
        s["url"] = url_of(s, http_port, https_port)
    (out / "urls.txt").write_text("".join(s["url"] + "\n" for s in sites))
    meta = {"sites": sites, "http_port": http_port, "https_port": https_port, "ca_file": str(ca)}
    (out / "sites.json").write_text(json.dumps(meta, indent=1))
    return meta


# ---------------------------------------------------------------------------------------------
# nginx process


def find_nginx() -> str:
    for cand in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.access(cand, os.X_OK):
            return cand
    sys.path.insert(0, str(ROOT / "tests" / "scan"))
    from sites import ensure_nginx  # apt-get install nginx-light when root

    return ensure_nginx()


class Nginx:
    def __init__(self, out: Path, meta: dict):
        self.out, self.meta, self.proc = out, meta, None

    def start(self, timeout: float = 20.0) -> None:
        nginx = find_nginx()
        conf = self.out / "nginx.conf"
        chk = subprocess.run([nginx, "-t", "-q", "-p", str(self.out), "-e", "stderr", "-c", str(conf)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if chk.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{chk.stdout[-3000:]}")
        (self.out / "access.log").write_text("")
        self.log = open(self.out / "nginx.stderr", "w")
        self.proc = subprocess.Popen([nginx, "-p", str(self.out), "-e", "stderr", "-c", str(conf)],
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        live = [s for s in self.meta["sites"] if s["profile"] != "dead"]
        probes = [live[0], live[len(live) // 2], live[-1]]
        deadline = time.monotonic() + timeout
        for s in probes:
            port = self.meta["https_port"] if s["tls"] else self.meta["http_port"]
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"nginx exited: {(self.out / 'nginx.stderr').read_text()[-2000:]}")
                try:
                    socket.create_connection((s["addr"], port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"nginx did not listen on {s['addr']}:{port}")
                    time.sleep(0.1)

    def cpu(self) -> float:
        """User + system seconds of the nginx processes so far (from /proc)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.proc.pid]
        try:
            pids += [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()]
        except OSError:
            pass
        for pid in pids:
            try:
                f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(f[11]) + int(f[12])) / tick
            except (OSError, IndexError, ValueError):
                pass
        return total

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


class AccessLog:
    """Counts the requests nginx logged since the last call."""

    def __init__(self, path: Path):
        self.path, self.pos = path, 0

    def take(self) -> list[str]:
        time.sleep(0.05)
        with open(self.path, "rb") as fh:
            fh.seek(self.pos)
            data = fh.read()
            self.pos = fh.tell()
        return data.decode("utf-8", "replace").splitlines()


# ---------------------------------------------------------------------------------------------
# timing


def gnu_time() -> str | None:
    p = "/usr/bin/time"
    if not os.access(p, os.X_OK):
        return None
    r = subprocess.run([p, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p if "GNU" in r.stdout else None


def parse_gnu(path: Path) -> dict:
    fields = {}
    for line in path.read_text(errors="replace").splitlines():
        key, sep, value = line.strip().rpartition(": ")
        if sep:
            fields[key] = value
    wall = 0.0
    for part in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return {"wall": wall, "user": float(fields["User time (seconds)"]), "sys": float(fields["System time (seconds)"]),
            "rss_kib": int(fields["Maximum resident set size (kbytes)"]), "rc": int(fields.get("Exit status", "0"))}


def timed(cmd: list[str], stdout: Path, stderr: Path, env: dict | None = None, gnu: str | None = None,
          report: Path | None = None, timeout: float | None = None) -> dict:
    """Run cmd once; wall (perf_counter), CPU and peak RSS (GNU time if given, else wait4)."""
    with open(stdout, "wb") as so, open(stderr, "wb") as se:
        full = [gnu, "-v", "-o", str(report), *cmd] if gnu and report else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=so, stderr=se, env=env)
        try:
            deadline = None if timeout is None else t0 + timeout
            while True:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if deadline and time.perf_counter() > deadline:
                    p.kill()
                    pid, status, ru = os.wait4(p.pid, 0)
                    break
                time.sleep(0.002)
        finally:
            p.returncode = 0
        wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    res = {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "rss_kib": ru.ru_maxrss, "rc": rc, "timer": "wait4"}
    if gnu and report and report.exists():
        try:
            g = parse_gnu(report)
            res.update(user=g["user"], sys=g["sys"], rss_kib=g["rss_kib"], rc=g["rc"], gnu_wall=g["wall"], timer="gnu")
        except (KeyError, ValueError):
            pass
    return res


def site_key(r: dict) -> tuple:
    return (r.get("grade"), r.get("score"), r.get("observatory_score"), tuple(sorted({f["rule"] for f in r.get("findings", [])})))


def run_djguard(args, meta: dict, urls: Path, conc: str, tag: str, alog: AccessLog, nginx: Nginx, gnu,
                delay: str = "0") -> dict:
    out = Path(args.out)
    raw = out / "raw"
    raw.mkdir(exist_ok=True)
    cmd = [args.djguard, "scan", "--from", str(urls), "--format", "json", "--no-progress",
           "--ca-file", meta["ca_file"], "--http-port", str(meta["http_port"])]
    if conc != "default":
        cmd += ["--concurrency", conc]
    if delay != "0":
        cmd += ["--delay-ms", delay]
    alog.take()
    cpu0 = nginx.cpu()
    res = timed(cmd, raw / f"{tag}.json", raw / f"{tag}.stderr", gnu=gnu, report=raw / f"{tag}.time")
    res["nginx_cpu"] = nginx.cpu() - cpu0
    res["server_requests"] = len(alog.take())
    if res["rc"] not in (0, 1):
        raise RuntimeError(f"djguard exited {res['rc']}: {(raw / f'{tag}.stderr').read_text()[-2000:]}")
    doc = json.loads((raw / f"{tag}.json").read_text())
    s = doc["summary"]
    res.update(requests=s["requests"], graded=s["graded"], not_reachable=s["not_reachable"],
               findings=s["findings"], grades=s["grades"], elapsed_ms=s["elapsed_ms"], sites=s["sites"])
    res["per_site"] = [site_key(r) for r in doc["sites"]]
    res["site_ms"] = [r.get("elapsed_ms", 0) for r in doc["sites"]]
    res["cmd"] = cmd
    return res


def run_peers(args, meta: dict, sample: list[dict], alog: AccessLog, nginx: Nginx) -> dict:
    out = Path(args.out)
    raw = out / "raw" / "peers"
    raw.mkdir(parents=True, exist_ok=True)
    ca = meta["ca_file"]
    tools = {}
    # djguard the way the peers run: one process per site
    tools["djguard"] = lambda s: ([args.djguard, "scan", s["url"], "--format", "json", "--no-progress",
                                   "--ca-file", ca, "--http-port", str(meta["http_port"])], None)
    if args.djcheckup and DJCHECKUP.exists():
        tools["djcheckup"] = lambda s: ([str(DJCHECKUP), "--output-json", s["url"]],
                                        dict(os.environ, REQUESTS_CA_BUNDLE=ca))
    if args.observatory and OBSERVATORY.exists() and shutil.which("node"):
        hp = lambda s: f"{s['addr']}:{meta['https_port'] if s['tls'] else meta['http_port']}"
        tools["observatory"] = lambda s: (["node", str(OBSERVATORY), hp(s)], dict(os.environ, NODE_EXTRA_CA_CERTS=ca))
    results = {}
    for name, mk in tools.items():
        runs, server_reqs, outcomes = [], 0, []
        alog.take()
        cpu0 = nginx.cpu()
        t0 = time.perf_counter()
        for s in sample:
            cmd, env = mk(s)
            tag = f"{name}-{s['i']:03d}"
            r = timed(cmd, raw / f"{tag}.out", raw / f"{tag}.err", env=env, timeout=180)
            runs.append(r)
            outcomes.append(peer_outcome(name, raw / f"{tag}.out", r["rc"]))
        total = time.perf_counter() - t0
        results[name] = {
            "sites": len(sample), "total_wall": total, "nginx_cpu": nginx.cpu() - cpu0,
            "wall": [r["wall"] for r in runs], "cpu": [r["user"] + r["sys"] for r in runs],
            "rss_kib": [r["rss_kib"] for r in runs], "rc": [r["rc"] for r in runs],
            "server_requests": len(alog.take()), "outcomes": outcomes,
            "example": " ".join(mk(sample[0])[0]),
        }
        say(f"{name}: {len(sample)} sites in {total:.1f} s")
    return results


def peer_outcome(name: str, path: Path, rc) -> str:
    try:
        d = json.loads(path.read_text())
    except (OSError, ValueError):
        return f"no JSON (exit {rc})"
    if name == "djguard":
        return d["sites"][0].get("grade") or "not graded"
    if name == "observatory":
        if "error" in d:
            return "error"
        return d["scan"]["grade"]
    fails = [c for c in d.get("check_results", []) if c.get("result") != "success"]
    return f"{len(fails)} failed"


def say(msg: str) -> None:
    print(f"== {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# checks of djguard's answers against the profiles

EXPECT = {
    # profile -> (rules that must be there, rules that must not)
    "bare_nginx": ({"DJG408", "DJG411", "DJG418"}, {"DJG422", "DJG427", "DJG425"}),
    "django_default": ({"DJG408", "DJG425"}, {"DJG411", "DJG422", "DJG423", "DJG427"}),
    "hardened": (set(), {"DJG408", "DJG411", "DJG419", "DJG420", "DJG422", "DJG423", "DJG425", "DJG427"}),
    "csp_unsafe": ({"DJG409", "DJG417", "DJG425"}, {"DJG408", "DJG422"}),
    "cookies_loose": ({"DJG420", "DJG425"}, {"DJG422"}),
    "hosts_star": ({"DJG423", "DJG425"}, {"DJG422"}),
    "static_site": ({"DJG418"}, {"DJG408", "DJG411", "DJG422", "DJG425"}),
    "debug_on": ({"DJG422", "DJG423"}, set()),
    "dotenv": ({"DJG427", "DJG425"}, {"DJG422"}),
}


def check_expectations(meta: dict, doc: dict) -> list[str]:
    problems = []
    for s, r in zip(meta["sites"], doc["sites"]):
        rules = {f["rule"] for f in r.get("findings", [])}
        if s["profile"] == "dead":
            if r.get("grade") is not None:
                problems.append(f"site {s['i']} (dead) was graded {r.get('grade')}")
            continue
        if r.get("grade") is None:
            problems.append(f"site {s['i']} ({s['profile']}) not graded: {r.get('errors')}")
            continue
        must, must_not = EXPECT[s["profile"]]
        if s["tls"]:
            must = must - {"DJG425"} if s["profile"] != "dotenv" else must
        missing, extra = must - rules, must_not & rules
        if missing or extra:
            problems.append(f"site {s['i']} ({s['profile']}{', TLS' if s['tls'] else ''}): "
                            f"missing {sorted(missing)}, unexpected {sorted(extra)}")
    return problems


def observatory_crosscheck(out: Path, meta: dict, doc: dict) -> list[str]:
    """djguard's Observatory-compatible tests next to the real Observatory's, site by site,
    on the sites the Observatory was run on."""
    raw = out / "raw" / "peers"
    diffs: dict[tuple, int] = {}
    compared = equal_scores = clean = 0
    for s, r in zip(meta["sites"], doc["sites"]):
        try:
            o = json.loads((raw / f"observatory-{s['i']:03d}.out").read_text())
        except (OSError, ValueError):
            continue
        if "error" in o or r.get("observatory_score") is None:
            continue
        compared += 1
        equal_scores += r["observatory_score"] == o["scan"]["score"]
        dj = {t["test"]: (t["result"], t["modifier"]) for t in r.get("tests", [])}
        found = False
        for name, v in o["tests"].items():
            a, b = dj.get(name), (v["result"], v["scoreModifier"])
            if a == b or (name == "x-frame-options" and a and a[0] == b[0]):
                continue  # same, or the same result rescored (XFO DENY/SAMEORIGIN: +5 vs 0)
            found = True
            if name == "redirection" and s["tls"] and b[0] == "redirection-missing":
                why = "port: the Observatory got the HTTPS port and asked http:// on it"
            elif (name == "x-frame-options" and a and a[0] == "x-frame-options-sameorigin-or-deny"
                  and b[0] == "x-frame-options-implemented-via-csp" and s["profile"] == "static_site"):
                why = ("frame-ancestors only in a <meta> CSP: browsers ignore it there; the Observatory's CSP test "
                       "drops it but its XFO test counts it")
            else:
                why = "**unexplained**"
            key = (name, f"{a[0]} {a[1]:+d}" if a else "-", f"{b[0]} {b[1]:+d}", why)
            diffs[key] = diffs.get(key, 0) + 1
        clean += not found
    if not compared:
        return []
    L = [f"djguard's `observatory_score` vs the Observatory CLI (algorithm 4) on the {compared} sites both graded: "
         f"equal scores on {equal_scores}; no per-test difference other than COOP/COEP (not in algorithm 4) and "
         f"X-Frame-Options rescoring on {clean}. The other differences:", "",
         "| test | djguard | Observatory | sites | why |", "| --- | --- | --- | ---: | --- |"]
    for (name, a, b, why), n in sorted(diffs.items(), key=lambda kv: -kv[1]):
        L.append(f"| {name} | {a} | {b} | {n} | {why} |")
    return L


def profile_table(meta: dict, doc: dict) -> list[str]:
    rows = {}
    for s, r in zip(meta["sites"], doc["sites"]):
        key = (s["profile"], s["tls"])
        d = rows.setdefault(key, {"n": 0, "grades": {}, "obs": [], "rules": {}, "req": []})
        d["n"] += 1
        g = r.get("grade") or "not graded"
        d["grades"][g] = d["grades"].get(g, 0) + 1
        if r.get("observatory_score") is not None:
            d["obs"].append(r["observatory_score"])
        d["req"].append(r.get("requests", 0))
        for f in r.get("findings", []):
            d["rules"][f["rule"]] = d["rules"].get(f["rule"], 0) + 1
    out = ["| profile | transport | sites | djguard grades | Observatory-compatible score | requests/site | rules (sites) |",
           "| --- | --- | ---: | --- | --- | ---: | --- |"]
    order = list(PROFILES)
    for (p, tls), d in sorted(rows.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        grades = ", ".join(f"{g} x{c}" for g, c in sorted(d["grades"].items()))
        obs = "-" if not d["obs"] else (str(d["obs"][0]) if len(set(d["obs"])) == 1 else f"{min(d['obs'])}-{max(d['obs'])}")
        rules = " ".join(f"{k}" + (f"({v})" if v != d["n"] else "") for k, v in sorted(d["rules"].items()))
        out.append(f"| {p} | {'https' if tls else 'http'} | {d['n']} | {grades} | {obs} | "
                   f"{statistics.median(d['req']):.0f} | {rules or '-'} |")
    return out


# ---------------------------------------------------------------------------------------------
# report


def fmt_ms(s: float) -> str:
    return f"{s * 1000:,.0f}"


def report(args, meta: dict, results: dict, sample_res: dict, peers: dict, problems: list[str],
           nondet: list[str], ptable: list[str], machine: str, crosscheck: list[str] = ()) -> str:
    n = len(meta["sites"])
    live = sum(1 for s in meta["sites"] if s["profile"] != "dead")
    tls = sum(1 for s in meta["sites"] if s["tls"])
    L = []
    L.append(f"Fleet: {n} sites ({live} live, {n - live} dead, {tls} over TLS), one nginx "
             f"(`worker_processes {args.workers}`), ports {meta['http_port']}/{meta['https_port']}. {machine}")
    L.append("")
    L.append(f"`djguard scan --from urls.txt --format json --no-progress --ca-file ca.pem --http-port {meta['http_port']} "
             f"[--concurrency N] [--delay-ms D]`, {args.runs} run(s) each without delay"
             f"{f', {args.delay_runs} with' if args.delays.split() != ['0'] else ''}, medians (min-max). "
             f"`--delay-ms D` makes djguard wait D ms before each request of a site after its first: idle time "
             f"that stands in for network latency, which loopback does not have:")
    L.append("")
    L.append("| --delay-ms | --concurrency | wall s | CPU s (user+sys) | peak RSS MiB | requests (summary) | requests/site | nginx log lines | nginx CPU s | sites/s | graded / not |")
    L.append("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key, runs in results.items():
        conc, _, delay = key.partition("@")
        walls = [r["wall"] for r in runs]
        cpu = statistics.median(r["user"] + r["sys"] for r in runs)
        rss = statistics.median(r["rss_kib"] for r in runs) / 1024
        req = statistics.median(r["requests"] for r in runs)
        srv = statistics.median(r["server_requests"] for r in runs)
        ncpu = statistics.median(r["nginx_cpu"] for r in runs)
        w = statistics.median(walls)
        label = "16 (default, no flag)" if conc == "default" else conc
        L.append(f"| {delay or 0} | {label} | {w:.2f} ({min(walls):.2f}-{max(walls):.2f}) | {cpu:.2f} | {rss:.1f} | {req:,.0f} | "
                 f"{req / n:.1f} | {srv:,.0f} | {ncpu:.2f} | {n / w:.0f} | {runs[0]['graded']} / {runs[0]['not_reachable']} |")
    L.append("")
    if peers:
        k = len(next(iter(peers.values()))["wall"])
        if k < n:
            L.append(f"Peers, one process per site, sites one after the other, on a sample of {k} of the {n} sites "
                     f"(`random.Random({args.seed}).sample`); the {n}-site figure is the sample's mean x {n}, "
                     f"**extrapolated**. djguard on the same sample for comparison:")
        else:
            L.append(f"Peers, one process per site, sites one after the other, on all {n} sites (measured, not "
                     f"extrapolated). djguard the same way, and in one process, for comparison:")
        L.append("")
        L.append(f"| tool | {'sample ' if k < n else ''}wall s | per site wall ms (median) | per site CPU ms (median) | peak RSS MiB (max) | requests/site (nginx log) | {n} sites, wall s |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for conc, r in sample_res.items():
            label = "16" if conc == "default" else conc
            whole = "(table above)" if k < n else f"{r['wall']:.2f} (measured)"
            L.append(f"| djguard, all {k} in one process, `--concurrency {label}` (median of {len(r['walls'])}) | "
                     f"{r['wall']:.2f} | - | - | {r['rss_kib'] / 1024:.1f} | "
                     f"{r['server_requests'] / k:.1f} | {whole} |")
        for name, p in peers.items():
            mean = statistics.mean(p["wall"])
            label = "djguard, one process per site" if name == "djguard" else name
            L.append(f"| {label} | {p['total_wall']:.1f} | {fmt_ms(statistics.median(p['wall']))} | "
                     f"{fmt_ms(statistics.median(p['cpu']))} | {max(p['rss_kib']) / 1024:.1f} | "
                     f"{p['server_requests'] / k:.1f} | "
                     + (f"~{mean * n:,.0f} (extrapolated) |" if k < n else f"{p['total_wall']:,.0f} (measured) |"))
        L.append("")
        for name, p in peers.items():
            counts = {}
            for o in p["outcomes"]:
                counts[o] = counts.get(o, 0) + 1
            L.append(f"- {name} outcomes: " + ", ".join(f"{k2} x{v}" for k2, v in sorted(counts.items())))
        L.append("")
        if crosscheck:
            L += list(crosscheck)
            L.append("")
    L.append("djguard's verdicts per site profile (first run at the default concurrency):")
    L.append("")
    L += ptable
    L.append("")
    L.append(f"Same verdict (grade, score, rule ids) for every site in every run: "
             f"{'yes' if not nondet else 'NO - ' + '; '.join(nondet[:10])}")
    L.append("")
    if problems:
        L.append(f"Verdicts that do not match the profile ({len(problems)}):")
        L += [f"- {p}" for p in problems[:40]]
    else:
        L.append("Every site's findings match what its profile should give (the EXPECT table in scan_fleet.py).")
    return "\n".join(L) + "\n"


def machine_line() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"Machine: {os.cpu_count()} vCPU ({cpu}), Linux {os.uname().release}; load average {loadavg()}."


def loadavg() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def cmd_bench(args) -> int:
    out = Path(args.out)
    meta = generate(out, args.sites, args.tls_every, args.workers)
    urls = out / "urls.txt"
    gnu = None if args.timer == "python" else gnu_time()
    say(f"{args.sites} sites, nginx config in {out}, ports {meta['http_port']}/{meta['https_port']}; timer "
        f"{'GNU time' if gnu else 'wait4'}")
    load_start = loadavg()
    nginx = Nginx(out, meta)
    nginx.start()
    alog = AccessLog(out / "access.log")
    results: dict[str, list] = {}
    try:
        # one untimed warm-up (page cache, nginx's first accept)
        for _ in range(args.warmup):
            run_djguard(args, meta, urls, "default", "warmup", alog, nginx, gnu)
        for delay in args.delays.split():
            runs = args.runs if delay == "0" else args.delay_runs
            for run in range(runs):
                for conc in args.concurrency.split():
                    key = conc if delay == "0" else f"{conc}@{delay}"
                    r = run_djguard(args, meta, urls, conc, f"c{key}-run{run}", alog, nginx, gnu, delay)
                    results.setdefault(key, []).append(r)
                    say(f"--delay-ms {delay} --concurrency {conc} run {run + 1}: {r['wall']:.2f} s, {r['rss_kib'] / 1024:.1f} MiB, "
                        f"{r['requests']} requests ({r['server_requests']} logged), {r['graded']} graded")
        sample_res, peers = {}, {}
        if args.peer_sites > 0:
            rnd = random.Random(args.seed)
            k = min(args.peer_sites, len(meta["sites"]))
            sample = sorted(rnd.sample(meta["sites"], k), key=lambda s: s["i"])
            sample_urls = out / "sample-urls.txt"
            sample_urls.write_text("".join(s["url"] + "\n" for s in sample))
            for conc in ("1", "default"):
                rs = [run_djguard(args, meta, sample_urls, conc, f"sample-c{conc}-run{k}", alog, nginx, gnu)
                      for k in range(max(args.runs, 3))]
                best = sorted(rs, key=lambda r: r["wall"])[len(rs) // 2]
                best["walls"] = [r["wall"] for r in rs]
                sample_res[conc] = best
            peers = run_peers(args, meta, sample, alog, nginx)
    finally:
        nginx.stop()
    first = "default" if "default" in results else next(iter(results))
    doc = json.loads((out / "raw" / f"c{first}-run0.json").read_text())
    problems = check_expectations(meta, doc)
    ref = results[first][0]["per_site"]
    nondet = []
    for conc, runs in results.items():
        for k, r in enumerate(runs):
            for s, a, b in zip(meta["sites"], ref, r["per_site"]):
                if a != b:
                    nondet.append(f"site {s['i']} ({s['profile']}) c{conc} run {k}: {b} vs {a}")
    machine = machine_line() + f" Load average at the start: {load_start}."
    text = report(args, meta, results, sample_res, peers, problems, nondet, profile_table(meta, doc), machine,
                  observatory_crosscheck(out, meta, doc))
    print(text)
    (out / "report.md").write_text(text)
    slim = {c: [{k: v for k, v in r.items() if k not in ("per_site", "site_ms")} for r in rs] for c, rs in results.items()}
    (out / "results.json").write_text(json.dumps({"djguard": slim, "sample": {c: {k: v for k, v in r.items() if k not in ("per_site", "site_ms")} for c, r in sample_res.items()},
                                                  "peers": peers, "problems": problems, "nondeterministic": nondet,
                                                  "machine": machine, "seed": args.seed}, indent=1))
    return 0


def cmd_report(args) -> int:
    """Re-render report.md from a finished run's results.json and raw outputs."""
    out = Path(args.out)
    meta = json.loads((out / "sites.json").read_text())
    saved = json.loads((out / "results.json").read_text())
    results, sample_res, peers = saved["djguard"], saved["sample"], saved["peers"]
    first = "default" if "default" in results else next(iter(results))
    doc = json.loads((out / "raw" / f"c{first}-run0.json").read_text())
    args.runs = max(len(v) for k, v in results.items() if "@" not in k)
    delays = sorted({k.partition("@")[2] for k in results if "@" in k})
    args.delays = " ".join(["0", *delays]) if delays else "0"
    args.delay_runs = max([len(v) for k, v in results.items() if "@" in k] or [1])
    args.seed = saved.get("seed", 1)
    for r in sample_res.values():
        r.setdefault("walls", [r["wall"]])
    text = report(args, meta, results, sample_res, peers, saved["problems"], saved["nondeterministic"],
                  profile_table(meta, doc), saved.get("machine", machine_line()), observatory_crosscheck(out, meta, doc))
    print(text)
    (out / "report.md").write_text(text)
    return 0


def cmd_gen(args) -> int:
    meta = generate(Path(args.out), args.sites, args.tls_every, args.workers)
    print(json.dumps({k: v for k, v in meta.items() if k != "sites"}))
    return 0


def cmd_serve(args) -> int:
    out = Path(args.out)
    meta = generate(out, args.sites, args.tls_every, args.workers)
    nginx = Nginx(out, meta)
    nginx.start()
    print(json.dumps({"urls": str(out / "urls.txt"), "ca_file": meta["ca_file"], "http_port": meta["http_port"],
                      "https_port": meta["https_port"], "pid": nginx.proc.pid}), flush=True)
    try:
        nginx.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        nginx.stop()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("gen", "serve", "bench", "report"):
        p = sub.add_parser(name)
        p.add_argument("--out", required=True)
        p.add_argument("--sites", type=int, default=500)
        p.add_argument("--tls-every", type=int, default=5)
        p.add_argument("--workers", type=int, default=1, help="nginx worker_processes")
        if name == "bench":
            p.add_argument("--djguard", required=True)
            p.add_argument("--runs", type=int, default=3)
            p.add_argument("--warmup", type=int, default=1)
            p.add_argument("--concurrency", default="1 default 64")
            p.add_argument("--delays", default="0",
                           help="values of --delay-ms to time, each with every concurrency (idle time per request, "
                                "standing in for network latency)")
            p.add_argument("--delay-runs", type=int, default=1, help="runs per concurrency for delays other than 0")
            p.add_argument("--peer-sites", type=int, default=50)
            p.add_argument("--seed", type=int, default=1)
            p.add_argument("--no-djcheckup", dest="djcheckup", action="store_false")
            p.add_argument("--no-observatory", dest="observatory", action="store_false")
            p.add_argument("--timer", choices=("gnu", "python"), default="gnu")
    args = ap.parse_args()
    args.out = str(Path(args.out).resolve())  # nginx -p and the config need absolute paths
    if args.sites > 250 * 254:
        ap.error("at most 63,500 sites")
    return {"gen": cmd_gen, "serve": cmd_serve, "bench": cmd_bench, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
