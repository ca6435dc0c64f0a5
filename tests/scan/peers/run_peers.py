#!/usr/bin/env python3
"""Run the peer live scanners (DJ Checkup, MDN HTTP Observatory) once against
local test sites and save their raw output next to this file.

    python3 tests/scan/sites.py up default_prod insecure_debug hardened > /tmp/sites.jsonl
    python3 tests/scan/peers/run_peers.py /tmp/sites.jsonl

Expects the peers installed as described in tests/scan/peers/README.md:
  .cache/scan-sites/peers-venv/bin/djcheckup
  .cache/scan-sites/npm/node_modules/@mdn/mdn-http-observatory/src/scan.js
Every command is written to commands.txt exactly as run (ports differ per run).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent.parent.parent / ".cache" / "scan-sites"
DJCHECKUP = CACHE / "peers-venv" / "bin" / "djcheckup"
OBSERVATORY = CACHE / "npm" / "node_modules" / "@mdn" / "mdn-http-observatory" / "src" / "scan.js"


def run(tag: str, cmd: list[str], env_extra: dict[str, str], log: list[str]) -> None:
    env = dict(os.environ, **env_extra)
    shown = " ".join(f"{k}={v}" for k, v in env_extra.items())
    shown = (shown + " " if shown else "") + " ".join(cmd)
    try:
        res = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180)
        out, rc = res.stdout, res.returncode
    except subprocess.TimeoutExpired as err:
        out, rc = (err.stdout or "") if isinstance(err.stdout, str) else "", "timeout"
    (HERE / f"{tag}.out").write_text(out)
    log.append(f"# {tag}.out (exit {rc})\n{shown}\n")
    print(f"{tag}: exit {rc}", file=sys.stderr)


def main() -> int:
    sites = {}
    for line in open(sys.argv[1]):
        if line.strip():
            d = json.loads(line)
            if "name" in d:
                sites[d["name"]] = d
    log: list[str] = []
    for name, site in sites.items():
        safe = name.replace("@", "-")
        target = site["https_url"] or site["url"]
        ca_env = {"REQUESTS_CA_BUNDLE": site["ca_file"]} if site["ca_file"] else {}
        if DJCHECKUP.exists():
            run(f"djcheckup-{safe}", [str(DJCHECKUP), "--output-json", target], ca_env, log)
            if site["https_url"]:
                # the plain-HTTP entry point of the same site
                run(f"djcheckup-{safe}-http", [str(DJCHECKUP), "--output-json", site["url"]], ca_env, log)
        if OBSERVATORY.exists():
            # 1.4.8 takes host[:port] only, and tries http:// then https:// on that port.
            host = urlsplit(target).netloc
            node_env = {"NODE_EXTRA_CA_CERTS": site["ca_file"]} if site["ca_file"] else {}
            run(f"observatory-{safe}", ["node", str(OBSERVATORY), host], node_env, log)
            if site["https_url"]:
                run(f"observatory-{safe}-http", ["node", str(OBSERVATORY), urlsplit(site["url"]).netloc], node_env, log)
    (HERE / "commands.txt").write_text("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
