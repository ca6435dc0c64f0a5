#!/usr/bin/env python3
"""Fetch the precision corpus (bench/precision/projects.tsv) from PyPI into .cache/precision/.

Each project is downloaded at its pinned version as the source distribution (or the wheel where
the table says so), checked against the sha256 PyPI publishes, and unpacked under
.cache/precision/src/NAME/. Archives are kept in .cache/precision/dl/ so re-runs do not download
again. Standard library only.

Usage: python3 bench/precision/fetch.py [NAME ...]      (default: every project)
"""
import hashlib
import json
import pathlib
import shutil
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = ROOT / ".cache" / "precision"


def projects():
    for line in (HERE / "projects.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, pkg, version, kind, root, settings, rnd = line.split("\t")
        yield dict(name=name, pkg=pkg, version=version, kind=kind, root=root,
                   settings=settings, round=int(rnd))


def release_file(pkg, version, kind):
    # The per-version endpoint is not served by every mirror; the project's document lists
    # every release.
    url = f"https://pypi.org/pypi/{pkg}/json"
    with urllib.request.urlopen(url, timeout=60) as r:
        meta = json.load(r)
    want = "sdist" if kind == "sdist" else "bdist_wheel"
    files = [u for u in meta["releases"].get(version, []) if u["packagetype"] == want]
    if not files:
        raise SystemExit(f"{pkg} {version}: no {kind} on PyPI")
    info = dict(files[0])
    # A mirror may give addresses relative to the document.
    info["url"] = urllib.parse.urljoin(url, info["url"])
    return info


def download(info, dest):
    if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == info["digests"]["sha256"]:
        return
    tmp = dest.with_suffix(".part")
    with urllib.request.urlopen(info["url"], timeout=300) as r, open(tmp, "wb") as out:
        shutil.copyfileobj(r, out)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    if digest != info["digests"]["sha256"]:
        tmp.unlink()
        raise SystemExit(f"{dest.name}: sha256 mismatch")
    tmp.rename(dest)


def unpack(archive, target):
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if archive.name.endswith(".whl") or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp)
    else:
        with tarfile.open(archive) as t:
            t.extractall(tmp, filter="data")
    # An sdist holds one top folder NAME-VERSION/: the project is its content.
    entries = list(tmp.iterdir())
    inner = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
    shutil.rmtree(target, ignore_errors=True)
    inner.rename(target)
    shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    only = set(argv)
    (CACHE / "dl").mkdir(parents=True, exist_ok=True)
    (CACHE / "src").mkdir(parents=True, exist_ok=True)
    for p in projects():
        if only and p["name"] not in only:
            continue
        target = CACHE / "src" / p["name"]
        stamp = target / ".djguard-precision-version"
        if stamp.exists() and stamp.read_text() == p["version"]:
            print(f"== {p['name']} {p['version']}: present")
            continue
        info = release_file(p["pkg"], p["version"], p["kind"])
        archive = CACHE / "dl" / info["filename"]
        print(f"== {p['name']} {p['version']}: {info['filename']} ({info['size'] // 1024} KiB)")
        download(info, archive)
        unpack(archive, target)
        stamp.write_text(p["version"])


if __name__ == "__main__":
    main(sys.argv[1:])
