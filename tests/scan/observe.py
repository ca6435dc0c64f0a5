#!/usr/bin/env python3
"""Probe running test sites and record what a live scanner would see.

Reads the JSON lines printed by `sites.py up` (file argument or stdin) and
prints one JSON object per site with the raw observations (status codes,
selected headers, Set-Cookie lines, page titles, TLS results).  The output is
the oracle that README.md summarises; regenerate it with

    python3 tests/scan/sites.py up CONFIG... > /tmp/sites.jsonl
    python3 tests/scan/observe.py /tmp/sites.jsonl > tests/scan/observed.jsonl

Standard library only.  No redirect is followed automatically: each hop is a
separate, recorded request.
"""
from __future__ import annotations

import http.client
import warnings
import json
import re
import socket
import ssl
import sys
from urllib.parse import urlsplit

HEADERS = [
    "server", "location", "content-type", "strict-transport-security", "content-security-policy",
    "content-security-policy-report-only", "x-frame-options", "x-content-type-options",
    "referrer-policy", "cross-origin-opener-policy", "vary",
]
TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.S | re.I)
DJANGO_VERSION = re.compile(r"Django Version:</th>\s*<td>([^<]+)")


def ctx_for(ca_file: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
    return ctx


def fetch(url: str, ca_file: str | None = None, method: str = "GET", host: str | None = None,
          path: str | None = None) -> dict:
    parts = urlsplit(url)
    path = path if path is not None else (parts.path or "/")
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=10, context=ctx_for(ca_file))
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"User-Agent": "djguard-test-oracle/1"}
    if host:
        headers["Host"] = host
    try:
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
    except (OSError, ssl.SSLError, http.client.HTTPException) as err:
        return {"request": f"{method} {url.rstrip('/')}{path}" + (f" Host:{host}" if host else ""),
                "error": f"{type(err).__name__}: {err}"}
    finally:
        conn.close()
    out = {
        "request": f"{method} {parts.scheme}://{parts.netloc}{path}" + (f" Host:{host}" if host else ""),
        "status": resp.status,
        "headers": {h: resp.getheader(h) for h in HEADERS if resp.getheader(h) is not None},
        "set_cookie": resp.headers.get_all("Set-Cookie") or [],
    }
    m = TITLE.search(body)
    if m:
        out["title"] = m.group(1)
    markers = {
        "debug_footer": "You\u2019re seeing this error because you have <code>DEBUG = True</code>" in body,
        "urlconf_listing": "Django tried these URL patterns" in body,
        "admin_login_form": 'id="id_password"' in body and "csrfmiddlewaretoken" in body,
        "csrf_token_in_form": 'name="csrfmiddlewaretoken"' in body,
        "external_script_no_sri": "cdn.jsdelivr.net" in body and "integrity=" not in body,
    }
    out["markers"] = [k for k, v in markers.items() if v]
    v = DJANGO_VERSION.search(body)
    if v:
        out["django_version_leak"] = v.group(1)
    return out


def tls_handshake(url: str, ca_file: str | None, version: ssl.TLSVersion | None = None,
                  verify: bool = True) -> dict:
    parts = urlsplit(url)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify:
        ctx.load_verify_locations(cafile=ca_file)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if version is not None:
        ctx.minimum_version = ctx.maximum_version = version
        if version < ssl.TLSVersion.TLSv1_2:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname=parts.hostname) as tls:
                return {"ok": True, "version": tls.version(), "cipher": tls.cipher()[0]}
    except ssl.SSLCertVerificationError as err:
        return {"ok": False, "verify_error": err.verify_message, "error": str(err)}
    except (OSError, ssl.SSLError) as err:
        return {"ok": False, "error": f"{type(err).__name__}: {err}"}


def observe(site: dict) -> dict:
    base = site["https_url"] or site["url"]
    ca = site.get("ca_file")
    port = urlsplit(base).port
    env = site.get("settings_env", {})
    admin_path = "/" + env.get("SCAN_ADMIN_PATH", "admin/")
    obs = {"name": site["name"], "probes": {}}
    p = obs["probes"]
    p["home"] = fetch(base, ca)
    p["preferences"] = fetch(base, ca, path="/preferences/")
    p["unknown_path"] = fetch(base, ca, path="/djguard-probe-4d2e/")
    p["bogus_host"] = fetch(base, ca, host="djguard-probe.invalid")
    p["admin_no_slash"] = fetch(base, ca, path="/admin")
    p["admin_index"] = fetch(base, ca, path="/admin/")
    p["admin_login"] = fetch(base, ca, path="/admin/login/")
    if admin_path != "/admin/":
        p["moved_admin_login"] = fetch(base, ca, path=admin_path + "login/")
    p["trace"] = fetch(base, ca, method="TRACE")
    if site["https_url"]:
        p["http_home"] = fetch(site["url"], None)
        tls = obs["tls"] = {}
        tls["main"] = tls_handshake(base, ca)
        for key in ("expired_https_url", "wrong_host_https_url", "untrusted_https_url"):
            tls[key.replace("_https_url", "")] = tls_handshake(site[key], ca)
        tls["main_without_ca_file"] = _system_trust(base)
        for name, ver in (("TLSv1", ssl.TLSVersion.TLSv1), ("TLSv1.1", ssl.TLSVersion.TLSv1_1),
                          ("TLSv1.2", ssl.TLSVersion.TLSv1_2), ("TLSv1.3", ssl.TLSVersion.TLSv1_3)):
            tls[f"main_{name}"] = tls_handshake(base, ca, ver)["ok"]
            tls[f"legacy_{name}"] = tls_handshake(site["legacy_tls_https_url"], ca, ver)["ok"]
    obs["port"] = port
    return obs


def _system_trust(url: str) -> dict:
    """Handshake with the default trust store (the test CA is not in it)."""
    parts = urlsplit(url)
    ctx = ssl.create_default_context()
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname=parts.hostname) as tls:
                return {"ok": True, "version": tls.version()}
    except ssl.SSLCertVerificationError as err:
        return {"ok": False, "verify_error": err.verify_message}
    except (OSError, ssl.SSLError) as err:
        return {"ok": False, "error": str(err)}


def main() -> int:
    warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 probes are deliberate
    src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    for line in src:
        line = line.strip()
        if not line:
            continue
        site = json.loads(line)
        if "name" not in site:
            continue
        print(json.dumps(observe(site)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
