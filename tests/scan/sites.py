#!/usr/bin/env python3
"""Live test sites for `djguard scan` integration tests.

Starts the Django project in tests/scan/site/ in named configurations, served
by Django's development server (`runserver`), by gunicorn, or by gunicorn
behind nginx with TLS (certificates from a local test CA).  Everything binds to
127.0.0.1 on free ports.

Command line::

    python3 tests/scan/sites.py list
    python3 tests/scan/sites.py up insecure_debug hardened@nginx ...
    python3 tests/scan/sites.py up --foreground csp_on      # Ctrl-C stops
    python3 tests/scan/sites.py down

`up` prints one JSON object per site on stdout.  Without --foreground the
servers keep running after `up` returns and are recorded in a state file
(.cache/scan-sites/state.json by default) that `down` reads.  With
--foreground they are stopped on Ctrl-C, SIGTERM, or (with --stdin) when
stdin reaches end of file, which suits a test runner spawning this script.

Python API::

    from sites import Sites
    with Sites() as sites:
        site = sites.start("hardened", server="nginx")
        print(site.https_url, site.ca_file)

A site spec is CONFIG or CONFIG@SERVER where SERVER is runserver, gunicorn or
nginx; without @SERVER the config's default server is used.

Only the standard library is imported at top level; Django and gunicorn live in
a private virtualenv (.cache/scan-sites/venv) created on first use.
"""
from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE_DIR = HERE / "site"
REPO_ROOT = HERE.parent.parent
CACHE_DIR = Path(os.environ.get("SCAN_SITES_CACHE", REPO_ROOT / ".cache" / "scan-sites"))
VENV_DIR = CACHE_DIR / "venv"
TLS_DIR = CACHE_DIR / "tls"
RUN_DIR = CACHE_DIR / "run"
DEFAULT_STATE = CACHE_DIR / "state.json"
REQUIREMENTS = SITE_DIR / "requirements.txt"

HOST = "127.0.0.1"
STARTUP_TIMEOUT = float(os.environ.get("SCAN_SITES_TIMEOUT", "30"))
ADMIN_MOVED_PATH = "staff-console-4f7c/"

SERVERS = ("runserver", "gunicorn", "nginx")

# Strict CSP used by csp_on and hardened.
CSP_STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CSP_WEAK = (
    "default-src 'self' https:; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:; "
    "style-src 'self' 'unsafe-inline'"
)

# Shared by the configs that run behind nginx with TLS.
_TLS_PROD = {
    "SCAN_DEBUG": "0",
    "SCAN_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "SCAN_SECURE_COOKIES": "1",
    "SCAN_CSRF_COOKIE_HTTPONLY": "1",
    "SCAN_HSTS": "31536000",
    "SCAN_HSTS_SUBDOMAINS": "1",
    "SCAN_HSTS_PRELOAD": "1",
    "SCAN_SSL_REDIRECT": "1",
    "SCAN_PROXY_SSL_HEADER": "1",
    "SCAN_ADMIN_PATH": ADMIN_MOVED_PATH,
    "SCAN_CSP": CSP_STRICT,
}

# name -> (default server, description, environment, nginx options)
# nginx options: "http": "redirect" (plain-HTTP port answers 301 to HTTPS) or
# "proxy" (plain-HTTP port proxies to Django too).
CONFIGS: dict[str, dict] = {
    "default_prod": {
        "server": "gunicorn",
        "about": "startproject defaults with DEBUG off, plain HTTP",
        "env": {"SCAN_DEBUG": "0"},
    },
    "insecure_debug": {
        "server": "runserver",
        "about": "DEBUG on, ALLOWED_HOSTS=*, no secure cookies, no HSTS, admin at /admin/",
        "env": {"SCAN_DEBUG": "1", "SCAN_ALLOWED_HOSTS": "*"},
    },
    "debug_strict_hosts": {
        "server": "runserver",
        "about": "DEBUG on with a strict ALLOWED_HOSTS: DisallowedHost page leaks the version",
        "env": {"SCAN_DEBUG": "1", "SCAN_ALLOWED_HOSTS": "localhost,127.0.0.1"},
    },
    "hosts_star": {
        "server": "gunicorn",
        "about": "DEBUG off but ALLOWED_HOSTS=* (any Host header accepted)",
        "env": {"SCAN_DEBUG": "0", "SCAN_ALLOWED_HOSTS": "*"},
    },
    "admin_moved": {
        "server": "gunicorn",
        "about": f"admin mounted at /{ADMIN_MOVED_PATH} instead of /admin/",
        "env": {"SCAN_DEBUG": "0", "SCAN_ADMIN_PATH": ADMIN_MOVED_PATH},
    },
    "csp_on": {
        "server": "gunicorn",
        "about": "strict Content-Security-Policy header",
        "env": {"SCAN_DEBUG": "0", "SCAN_CSP": CSP_STRICT},
    },
    "csp_unsafe_inline": {
        "server": "gunicorn",
        "about": "CSP with 'unsafe-inline'/'unsafe-eval' and https: sources",
        "env": {"SCAN_DEBUG": "0", "SCAN_CSP": CSP_WEAK},
    },
    "csp_report_only": {
        "server": "gunicorn",
        "about": "strict policy, but only as Content-Security-Policy-Report-Only",
        "env": {"SCAN_DEBUG": "0", "SCAN_CSP": CSP_STRICT, "SCAN_CSP_REPORT_ONLY": "1"},
    },
    "bare_headers": {
        "server": "gunicorn",
        "about": "SecurityMiddleware and XFrameOptionsMiddleware removed; external script without SRI",
        "env": {
            "SCAN_DEBUG": "0",
            "SCAN_SECURITY_MIDDLEWARE": "0",
            "SCAN_X_FRAME_OPTIONS": "off",
            "SCAN_EXTERNAL_SCRIPT": "1",
        },
    },
    "renamed_cookies": {
        "server": "gunicorn",
        "about": "session/CSRF cookies renamed (scanner must not rely on default names)",
        "env": {
            "SCAN_DEBUG": "0",
            "SCAN_SESSION_COOKIE_NAME": "shop_session",
            "SCAN_CSRF_COOKIE_NAME": "shop_csrf",
        },
    },
    "hardened": {
        "server": "nginx",
        "about": "everything on: TLS, redirect, HSTS preload-ready, secure cookies, CSP, admin moved",
        "env": dict(_TLS_PROD),
    },
    "cookies_insecure": {
        "server": "nginx",
        "about": "hardened, but session/CSRF/app cookies lack Secure and the session cookie lacks HttpOnly",
        "env": {
            **_TLS_PROD,
            "SCAN_SECURE_COOKIES": "0",
            "SCAN_CSRF_COOKIE_HTTPONLY": "0",
            "SCAN_SESSION_COOKIE_HTTPONLY": "0",
        },
    },
    "hsts_off": {
        "server": "nginx",
        "about": "hardened, but SECURE_HSTS_SECONDS=0",
        "env": {**_TLS_PROD, "SCAN_HSTS": "0", "SCAN_HSTS_SUBDOMAINS": "0", "SCAN_HSTS_PRELOAD": "0"},
    },
    "hsts_weak": {
        "server": "nginx",
        "about": "HSTS max-age=3600 with preload but without includeSubDomains (not preloadable)",
        "env": {**_TLS_PROD, "SCAN_HSTS": "3600", "SCAN_HSTS_SUBDOMAINS": "0", "SCAN_HSTS_PRELOAD": "1"},
    },
    "https_no_redirect": {
        "server": "nginx",
        "about": "TLS available, but plain HTTP is served too (no redirect), HSTS on",
        "env": {**_TLS_PROD, "SCAN_SSL_REDIRECT": "0"},
        "nginx": {"http": "proxy"},
    },
    "proxy_header_missing": {
        "server": "nginx",
        "about": "SECURE_SSL_REDIRECT without SECURE_PROXY_SSL_HEADER behind a TLS proxy: redirect loop",
        "env": {**_TLS_PROD, "SCAN_PROXY_SSL_HEADER": "0"},
        # gunicorn itself trusts X-Forwarded-Proto from 127.0.0.1 by default
        # (forwarded_allow_ips), which would hide the mistake on loopback;
        # pretend the proxy is another machine.
        "gunicorn_args": ["--forwarded-allow-ips", "192.0.2.1"],
    },
}


# ---------------------------------------------------------------------------
# small helpers


def log(msg: str) -> None:
    print(f"[scan-sites] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.STDOUT)
    kwargs.setdefault("text", True)
    try:
        return subprocess.run(cmd, **kwargs)
    except subprocess.CalledProcessError as err:
        raise RuntimeError(f"command failed ({err.returncode}): {' '.join(cmd)}\n{err.stdout}") from err


def _required_versions() -> list[str]:
    return [
        line.strip()
        for line in REQUIREMENTS.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def venv_python() -> Path:
    return VENV_DIR / "bin" / "python"


def ensure_venv() -> Path:
    """Create the private virtualenv with the pinned Django and gunicorn."""
    py = venv_python()
    stamp = VENV_DIR / ".djguard-requirements"
    wanted = "\n".join(_required_versions())
    if py.exists() and stamp.exists() and stamp.read_text() == wanted:
        return py
    log(f"creating {VENV_DIR} ({', '.join(_required_versions())}) from PyPI")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    if not py.exists():
        run([sys.executable, "-m", "venv", str(VENV_DIR)])
    run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)])
    stamp.write_text(wanted)
    return py


def template_db() -> Path:
    """Migrate once into a template database; each site gets a copy."""
    py = ensure_venv()
    db = CACHE_DIR / "template-db" / "db.sqlite3"
    marker = db.parent / ".requirements"
    wanted = "\n".join(_required_versions())
    if db.exists() and marker.exists() and marker.read_text() == wanted:
        return db
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    log("running migrate for the template database")
    env = dict(os.environ, SCAN_DATA_DIR=str(db.parent), DJANGO_SETTINGS_MODULE="site_project.settings")
    run([str(py), "manage.py", "migrate", "--noinput", "-v0"], cwd=SITE_DIR, env=env)
    marker.write_text(wanted)
    return db


# ---------------------------------------------------------------------------
# TLS material


def _openssl(*args: str, cwd: Path) -> None:
    run(["openssl", *args], cwd=cwd)


def _cert_ok(path: Path, min_seconds: int = 7 * 86400) -> bool:
    if not path.exists():
        return False
    res = subprocess.run(
        ["openssl", "x509", "-in", str(path), "-noout", "-checkend", str(min_seconds)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return res.returncode == 0


_CA_CNF = """\
[ ca ]
default_ca = testca
[ testca ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[ anything ]
commonName = supplied
"""


def ensure_tls() -> dict[str, Path]:
    """Create a local CA and server certificates in .cache/scan-sites/tls/.

    Files: ca.pem (trust anchor for --ca-file), good.pem (localhost and
    127.0.0.1), expired.pem (same names, validity in 2020), wronghost.pem
    (only wrong-host.example.test), untrusted.pem (self-signed, not from the
    CA).  Each *.pem has a matching *.key.
    """
    if shutil.which("openssl") is None:
        raise RuntimeError("openssl not found")
    TLS_DIR.mkdir(parents=True, exist_ok=True)
    d = TLS_DIR
    files = {n: d / f"{n}.pem" for n in ("ca", "good", "expired", "wronghost", "untrusted")}
    if all(p.exists() for p in files.values()) and _cert_ok(files["ca"]) and _cert_ok(files["good"]):
        return files
    log(f"generating test CA and certificates in {d}")
    for p in d.iterdir():
        if p.is_file():
            p.unlink()
        else:
            shutil.rmtree(p)
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/O=djguard tests/CN=djguard scan test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash",
        cwd=d,
    )
    (d / "newcerts").mkdir()
    (d / "index.txt").write_text("")
    (d / "serial").write_text("1000\n")
    (d / "ca.cnf").write_text(_CA_CNF.format(dir=d))

    def leaf(name: str, cn: str, san: str, start: str | None = None, end: str | None = None, days: int = 397):
        (d / f"{name}.ext").write_text(
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\n"
            f"subjectAltName={san}\n"
        )
        _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
                 "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=d)
        dates = ["-startdate", start, "-enddate", end] if start else ["-days", str(days)]
        _openssl("ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
                 "-in", f"{name}.csr", "-out", f"{name}.pem", "-extfile", f"{name}.ext", *dates, cwd=d)

    leaf("good", "localhost", "DNS:localhost,IP:127.0.0.1")
    leaf("expired", "localhost", "DNS:localhost,IP:127.0.0.1", start="20200101000000Z", end="20200301000000Z")
    leaf("wronghost", "wrong-host.example.test", "DNS:wrong-host.example.test")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "397",
        "-keyout", "untrusted.key", "-out", "untrusted.pem", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "extendedKeyUsage=serverAuth",
        cwd=d,
    )
    return files


# ---------------------------------------------------------------------------
# nginx


class NginxUnavailable(RuntimeError):
    pass


def find_nginx() -> str | None:
    for cand in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def ensure_nginx(install: bool = True) -> str:
    """Return the nginx binary, installing the Debian package if needed."""
    found = find_nginx()
    if found:
        return found
    if not install:
        raise NginxUnavailable("nginx is not installed (set SCAN_SITES_INSTALL_NGINX=1 to allow apt-get)")
    if shutil.which("apt-get") is None:
        raise NginxUnavailable("nginx is not installed and apt-get is not available")
    if os.geteuid() != 0:
        raise NginxUnavailable("nginx is not installed and apt-get needs root (apt-get install nginx-light)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for attempt in range(2):
        for pkg in ("nginx-light", "nginx"):
            log(f"apt-get install -y {pkg}")
            res = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", pkg], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if res.returncode == 0 and find_nginx():
                return find_nginx()  # type: ignore[return-value]
        if attempt == 0:
            log("apt-get update")
            subprocess.run(["apt-get", "update"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    raise NginxUnavailable(f"could not install nginx with apt-get:\n{res.stdout[-2000:]}")


def _nginx_conf(run_dir: Path, backend_port: int, ports: dict[str, int], tls: dict[str, Path],
                http_mode: str) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    https_port = ports["https"]
    proxy = f"""
        location / {{
            proxy_pass http://{HOST}:{backend_port};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
        }}"""

    def tls_server(port: int, cert: str, extra: str = "") -> str:
        return f"""
    server {{
        listen {HOST}:{port} ssl;
        server_name localhost;
        ssl_certificate {tls[cert]};
        ssl_certificate_key {tls[cert].with_suffix('.key')};
        {extra}
        {proxy}
    }}"""

    if http_mode == "redirect":
        http_body = f"location / {{ return 301 https://$host:{https_port}$request_uri; }}"
    else:
        http_body = proxy
    servers = [
        f"""
    server {{
        listen {HOST}:{ports['http']};
        server_name localhost;
        {http_body}
    }}""",
        tls_server(https_port, "good", "ssl_protocols TLSv1.2 TLSv1.3;"),
        tls_server(ports["https_expired"], "expired"),
        tls_server(ports["https_wrong_host"], "wronghost"),
        tls_server(ports["https_untrusted"], "untrusted"),
        tls_server(ports["https_legacy"], "good",
                   "ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers DEFAULT:@SECLEVEL=0; "
                   "ssl_prefer_server_ciphers on;"),
    ]
    return f"""# generated by tests/scan/sites.py
{user}worker_processes 1;
daemon off;
master_process on;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {run_dir}/nginx-access.log;
    client_body_temp_path {run_dir}/client_body;
    proxy_temp_path {run_dir}/proxy;
    fastcgi_temp_path {run_dir}/fastcgi;
    uwsgi_temp_path {run_dir}/uwsgi;
    scgi_temp_path {run_dir}/scgi;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 5;
{''.join(servers)}
}}
"""


# ---------------------------------------------------------------------------
# processes and readiness


def wait_http(port: int, proc: subprocess.Popen | None, timeout: float, tls: bool = False) -> None:
    """Wait until something answers an HTTP request on the port."""
    deadline = time.monotonic() + timeout
    last_err: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            if tls:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                conn = http.client.HTTPSConnection(HOST, port, timeout=2, context=ctx)
            else:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz/", headers={"Host": f"localhost:{port}"})
            conn.getresponse().read()
            conn.close()
            return
        except (OSError, http.client.HTTPException) as err:
            last_err = err
            time.sleep(0.15)
    raise TimeoutError(f"port {port} did not answer within {timeout:.0f}s ({last_err})")


def _kill_group(pid: int, sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop_pids(pids: list[int], grace: float = 5.0) -> None:
    """SIGTERM each process group, then SIGKILL whatever is left."""
    for pid in pids:
        _kill_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                os.killpg(pid, 0)
            except (ProcessLookupError, PermissionError):
                break
            try:  # reap if it is our child
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.05)
        else:
            _kill_group(pid, signal.SIGKILL)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


@dataclass
class Site:
    name: str
    config: str
    server: str
    url: str
    https_url: str | None = None
    ca_file: str | None = None
    extra_urls: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    pids: list[int] = field(default_factory=list)
    run_dir: str = ""

    @property
    def pid(self) -> int:
        return self.pids[0]

    def to_json(self) -> dict:
        out = {
            "name": self.name,
            "config": self.config,
            "server": self.server,
            "url": self.url,
            "https_url": self.https_url,
            "ca_file": self.ca_file,
            "pid": self.pid,
            "pids": self.pids,
            "run_dir": self.run_dir,
            "settings_env": self.env,
        }
        out.update(self.extra_urls)
        return out


class Sites:
    """Starts sites and stops all of them on close (also at exit and on SIGTERM)."""

    def __init__(self, detach: bool = False, install_nginx: bool | None = None):
        self.detach = detach
        self.sites: list[Site] = []
        self._procs: list[subprocess.Popen] = []
        if install_nginx is None:
            install_nginx = os.environ.get("SCAN_SITES_INSTALL_NGINX", "1") != "0"
        self.install_nginx = install_nginx
        self._closed = False
        if not detach:
            atexit.register(self.close)
            _install_signal_handlers()
            _LIVE.append(self)

    # context manager
    def __enter__(self) -> "Sites":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._closed or self.detach:
            return
        self._closed = True
        stop_pids([p.pid for p in reversed(self._procs)])
        for site in self.sites:
            if site.run_dir:
                shutil.rmtree(site.run_dir, ignore_errors=True)

    def _spawn(self, cmd: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> subprocess.Popen:
        logf = open(log_path, "ab")
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so the whole tree can be signalled
        )
        logf.close()
        self._procs.append(proc)
        return proc

    def _django(self, kind: str, config: str, env_extra: dict[str, str], run_dir: Path,
                extra_args: list[str] = ()) -> tuple[subprocess.Popen, int]:
        py = ensure_venv()
        data_dir = run_dir / "data"
        data_dir.mkdir()
        shutil.copy2(template_db(), data_dir / "db.sqlite3")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCAN_")}
        env.update(env_extra)
        env.update(SCAN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="site_project.settings",
                   PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
        port = free_port()
        if kind == "runserver":
            # --noreload: the autoreloader would poll files (CPU) and fork a second process.
            cmd = [str(py), "manage.py", "runserver", "--noreload", f"{HOST}:{port}"]
        else:
            cmd = [str(py), "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", "1",
                   "--access-logfile", "-", "--error-logfile", "-", *extra_args, "site_project.wsgi:application"]
        proc = self._spawn(cmd, env, SITE_DIR, run_dir / f"{kind}.log")
        try:
            wait_http(port, proc, STARTUP_TIMEOUT)
        except Exception as err:
            raise RuntimeError(f"{config}@{kind} failed to start: {err}\n"
                               f"{(run_dir / f'{kind}.log').read_text(errors='replace')[-3000:]}") from err
        return proc, port

    def start(self, config: str, server: str | None = None) -> Site:
        if config not in CONFIGS:
            raise KeyError(f"unknown config {config!r}; known: {', '.join(CONFIGS)}")
        spec = CONFIGS[config]
        server = server or spec["server"]
        if server not in SERVERS:
            raise KeyError(f"unknown server {server!r}; known: {', '.join(SERVERS)}")
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix=f"{config}-{server}-", dir=RUN_DIR))
        env = dict(spec["env"])
        try:
            if server == "nginx":
                nginx = ensure_nginx(self.install_nginx)
                tls = ensure_tls()
                backend, bport = self._django("gunicorn", config, env, run_dir, spec.get("gunicorn_args", []))
                ports = {k: free_port() for k in
                         ("http", "https", "https_expired", "https_wrong_host", "https_untrusted", "https_legacy")}
                conf = run_dir / "nginx.conf"
                conf.write_text(_nginx_conf(run_dir, bport, ports, tls, spec.get("nginx", {}).get("http", "redirect")))
                test = subprocess.run([nginx, "-t", "-q", "-p", str(run_dir), "-e", "stderr", "-c", str(conf)],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if test.returncode != 0:
                    raise RuntimeError(f"nginx -t failed:\n{test.stdout}")
                proc = self._spawn([nginx, "-p", str(run_dir), "-e", "stderr", "-c", str(conf)], os.environ.copy(),
                                   run_dir, run_dir / "nginx.log")
                try:
                    wait_http(ports["https"], proc, STARTUP_TIMEOUT, tls=True)
                except Exception as err:
                    raise RuntimeError(f"nginx failed: {err}\n{(run_dir / 'nginx.log').read_text()[-3000:]}") from err
                site = Site(
                    name=f"{config}@nginx", config=config, server="nginx",
                    url=f"http://localhost:{ports['http']}/",
                    https_url=f"https://localhost:{ports['https']}/",
                    ca_file=str(tls["ca"]),
                    extra_urls={
                        "backend_url": f"http://{HOST}:{bport}/",
                        "expired_https_url": f"https://localhost:{ports['https_expired']}/",
                        "wrong_host_https_url": f"https://localhost:{ports['https_wrong_host']}/",
                        "untrusted_https_url": f"https://localhost:{ports['https_untrusted']}/",
                        "legacy_tls_https_url": f"https://localhost:{ports['https_legacy']}/",
                    },
                    env=env, pids=[proc.pid, backend.pid], run_dir=str(run_dir),
                )
            else:
                proc, port = self._django(server, config, env, run_dir,
                                          spec.get("gunicorn_args", []) if server == "gunicorn" else [])
                site = Site(name=f"{config}@{server}", config=config, server=server,
                            url=f"http://localhost:{port}/", env=env, pids=[proc.pid], run_dir=str(run_dir))
        except BaseException:
            if not self.detach:
                shutil.rmtree(run_dir, ignore_errors=True)
            raise
        self.sites.append(site)
        return site


_LIVE: list[Sites] = []
_HANDLERS_INSTALLED = False


def _install_signal_handlers() -> None:
    global _HANDLERS_INSTALLED
    if _HANDLERS_INSTALLED or threading.current_thread() is not threading.main_thread():
        return
    _HANDLERS_INSTALLED = True

    def handler(signum, _frame):
        for sites in list(_LIVE):
            sites.close()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(sig, handler)


def parse_spec(spec: str) -> tuple[str, str | None]:
    config, _, server = spec.partition("@")
    return config, (server or None)


# ---------------------------------------------------------------------------
# command line


def _load_state(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return []


def cmd_up(args) -> int:
    sites = Sites(detach=not args.foreground)
    state_path = Path(args.state)
    failures = 0
    try:
        for spec in args.sites:
            config, server = parse_spec(spec)
            try:
                site = sites.start(config, server)
            except NginxUnavailable as err:
                log(f"SKIP {spec}: {err}")
                failures += 1
                continue
            print(json.dumps(site.to_json()), flush=True)
            if not args.foreground:
                state = _load_state(state_path)
                state.append(site.to_json())
                state_path.parent.mkdir(parents=True, exist_ok=True)
                state_path.write_text(json.dumps(state, indent=1))
    except BaseException:
        if not args.foreground:  # don't leave half a run behind
            stop_pids([p.pid for p in sites._procs])
        raise
    if args.foreground:
        print(json.dumps({"ready": True}), flush=True)
        try:
            if args.stdin:
                while sys.stdin.buffer.read(4096):
                    pass
            else:
                signal.pause() if hasattr(signal, "pause") else time.sleep(1e9)
        except KeyboardInterrupt:
            pass
        finally:
            sites.close()
    return 1 if failures else 0


def cmd_down(args) -> int:
    state_path = Path(args.state)
    state = _load_state(state_path)
    keep, stop = [], []
    for entry in state:
        (stop if not args.names or entry["name"] in args.names or entry["config"] in args.names else keep).append(entry)
    stop_pids([pid for entry in stop for pid in entry["pids"]])
    for entry in stop:
        shutil.rmtree(entry.get("run_dir", ""), ignore_errors=True) if entry.get("run_dir") else None
        log(f"stopped {entry['name']} (pids {entry['pids']})")
    if keep:
        state_path.write_text(json.dumps(keep, indent=1))
    elif state_path.exists():
        state_path.unlink()
    return 0


def cmd_list(_args) -> int:
    for name, spec in CONFIGS.items():
        print(f"{name:22} [{spec['server']:9}] {spec['about']}")
        for key, value in spec["env"].items():
            print(f"{'':26}{key}={value}")
    return 0


def cmd_setup(_args) -> int:
    ensure_venv()
    template_db()
    ensure_tls()
    try:
        log(f"nginx: {ensure_nginx()}")
    except NginxUnavailable as err:
        log(f"nginx unavailable, nginx sites will be skipped: {err}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="start sites (CONFIG or CONFIG@SERVER) and print one JSON line each")
    up.add_argument("sites", nargs="+", metavar="CONFIG[@SERVER]")
    up.add_argument("--foreground", action="store_true", help="stay attached; stop everything on exit")
    up.add_argument("--stdin", action="store_true", help="with --foreground: stop when stdin is closed")
    up.add_argument("--state", default=str(DEFAULT_STATE))
    down = sub.add_parser("down", help="stop sites started by a detached `up`")
    down.add_argument("names", nargs="*", help="site names or configs (default: all)")
    down.add_argument("--state", default=str(DEFAULT_STATE))
    sub.add_parser("list", help="show the configurations")
    sub.add_parser("setup", help="create the venv, template DB, certificates; install nginx")
    args = parser.parse_args(argv)
    return {"up": cmd_up, "down": cmd_down, "list": cmd_list, "setup": cmd_setup}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
