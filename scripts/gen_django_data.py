#!/usr/bin/env python3
"""Regenerate the Django data files that djguard embeds at build time.

Writes two files:

  crates/djguard_deps/data/django_advisories.json
      Every issue in Django's archive of security issues
      (docs/releases/security.txt in the newest Django sdist), with the
      series it affected and, for each series, the first release that
      carried the fix according to the per-release notes
      (docs/releases/X.Y.Z.txt).

  crates/djguard_deps/data/django_releases.json
      Every final, non-yanked Django release on PyPI grouped by series,
      together with the support calendar of each series (literal table
      below, since PyPI does not know about support windows).

Only the standard library is used (Python >= 3.9). Downloads are cached
under .cache/django-data/ (gitignored). Run from anywhere:

    python3 scripts/gen_django_data.py            # fetch PyPI metadata, reuse cached sdist
    python3 scripts/gen_django_data.py --offline  # use only what is in the cache

Given the same inputs (PyPI JSON, sdist and --date / SOURCE_DATE_EPOCH)
the output is byte-identical between runs.

A summary and every anomaly found while matching security.txt against
the release notes go to stderr. The script exits with status 1 when the
final self-check finds a fixed version that is not a known PyPI release
of its series and the case is not explained in KNOWN_MISSING_RELEASES.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import tarfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / ".cache" / "django-data"
DATA_DIR = REPO_ROOT / "crates" / "djguard_deps" / "data"
ADVISORIES_OUT = DATA_DIR / "django_advisories.json"
RELEASES_OUT = DATA_DIR / "django_releases.json"

PYPI_JSON_URL = "https://pypi.org/pypi/django/json"

# ---------------------------------------------------------------------------
# Support calendar.
#
# PyPI has no notion of mainstream/extended support, so these dates are a
# literal table. They come from the "Supported versions" / "Unsupported
# previous releases" tables on Django's download page
# (https://www.djangoproject.com/download/) and the release notes of each
# series. Columns: first release, end of mainstream support, end of
# extended support (security fixes), long-term-support flag, and whether
# the end dates are still only planned (announced, not yet reached).
#
# Series older than 1.4 are not listed: for them the script uses the date
# of the series' first and last release (PyPI upload dates, falling back to
# the release notes and, for series without any file on PyPI, to
# OLD_RELEASE_DATES below), with lts false.
# ---------------------------------------------------------------------------
SUPPORT_CALENDAR: Dict[str, Tuple[str, str, str, bool, bool]] = {
    #        first release  end mainstream  end extended  LTS    planned
    "6.1": ("2026-08-05", "2027-04-01", "2027-12-01", False, True),
    "6.0": ("2025-12-03", "2026-08-31", "2027-04-30", False, False),
    "5.2": ("2025-04-02", "2025-12-03", "2028-04-30", True, False),
    "5.1": ("2024-08-07", "2025-04-02", "2025-12-03", False, False),
    "5.0": ("2023-12-04", "2024-08-07", "2025-04-02", False, False),
    "4.2": ("2023-04-03", "2023-12-04", "2026-04-30", True, False),
    "4.1": ("2022-08-03", "2023-04-05", "2023-12-01", False, False),
    "4.0": ("2021-12-07", "2022-08-03", "2023-04-01", False, False),
    "3.2": ("2021-04-06", "2021-12-07", "2024-04-01", True, False),
    "3.1": ("2020-08-04", "2021-04-06", "2021-12-07", False, False),
    "3.0": ("2019-12-02", "2020-08-03", "2021-04-06", False, False),
    "2.2": ("2019-04-01", "2019-12-02", "2022-04-11", True, False),
    "2.1": ("2018-08-01", "2019-04-01", "2019-12-02", False, False),
    "2.0": ("2017-12-02", "2018-08-01", "2019-04-01", False, False),
    "1.11": ("2017-04-04", "2017-12-02", "2020-04-01", True, False),
    "1.10": ("2016-08-01", "2017-04-04", "2017-12-02", False, False),
    "1.9": ("2015-12-01", "2016-08-01", "2017-04-04", False, False),
    "1.8": ("2015-04-01", "2015-12-01", "2018-04-01", True, False),
    "1.7": ("2014-09-02", "2015-04-01", "2015-12-01", False, False),
    "1.6": ("2013-11-06", "2014-09-02", "2015-04-01", False, False),
    "1.5": ("2013-02-26", "2013-11-06", "2014-09-02", False, False),
    "1.4": ("2012-03-23", "2013-02-26", "2015-10-01", True, False),
}

# Release dates for old releases that have no file on PyPI (so no upload
# date) and whose release notes carry no date either. Django 1.0 came out on
# 2008-09-03; 1.0.4 was published together with 1.1.1 on 2009-10-09 (the
# CVE-2009-3695 release, see security.txt).
OLD_RELEASE_DATES: Dict[str, str] = {
    "1.0": "2008-09-03",
    "1.0.4": "2009-10-09",
}

# Fixed versions that the release notes name but PyPI does not list. The
# self-check accepts these; anything else missing from PyPI fails it.
KNOWN_MISSING_RELEASES: Dict[str, str] = {
    "2.1.6": "not on PyPI: replaced the same day by 2.1.7, which fixes a packaging error in 2.1.6",
    "2.0.11": "not on PyPI: replaced the same day by 2.0.12, which fixes a packaging error in 2.0.11",
    "1.11.19": "not on PyPI: replaced the same day by 1.11.20, which fixes a packaging error in 1.11.19",
}

# Issues in security.txt without a CVE get a made-up but stable id,
# "DJANGO-<disclosure date>-<n>". n is the number security.txt itself gives
# in the heading ("No CVE 2" -> 2); a bare "No CVE" gets 1 (or the next free
# number if that date already has a numbered one). Django never reuses or
# renumbers these old entries, so the ids do not move between runs.
NO_CVE_PREFIX = "DJANGO"

# security.txt lists only issues with an entry; the release notes of the
# newest releases sometimes name CVEs that the archive in the same sdist does
# not have yet. When true, such CVEs are added (date = date of the first
# release notes naming them, summary = the section title in those notes,
# affected = every series whose notes name them).
INCLUDE_NOTES_ONLY_CVES = True

MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}

CVE_RE = re.compile(r"CVE-(\d{4})-(\d{4,})(?!\d)")
CVE_ROLE_RE = re.compile(r":cve:`(\d{4}-\d{4,})`")
DATE_RE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(\d{1,2}),?\s+(\d{4})\b"
)


def find_cves(text: str) -> List[str]:
    """CVE ids in text, written either as CVE-YYYY-N or as :cve:`YYYY-N`."""
    text = CVE_ROLE_RE.sub(r"CVE-\1", text)
    out: List[str] = []
    for y, n in CVE_RE.findall(text):
        cve = f"CVE-{y}-{n}"
        if cve not in out:
            out.append(cve)
    return out


def warn(msg: str) -> None:
    print(msg, file=sys.stderr)


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------

_PEP440_RE = re.compile(
    r"""^v?(?P<release>\d+(?:\.\d+)*)
        (?:[-_.]?(?P<pre_l>a|alpha|b|beta|c|rc|pre|preview)[-_.]?(?P<pre_n>\d*))?
        (?:(?:-(?P<post_n1>\d+))|(?:[-_.]?(?:post|rev|r)[-_.]?(?P<post_n2>\d*)))?
        (?:[-_.]?dev[-_.]?(?P<dev_n>\d*))?$""",
    re.VERBOSE | re.IGNORECASE,
)


class Version:
    """The small part of PEP 440 needed for Django's version strings."""

    def __init__(self, text: str):
        m = _PEP440_RE.match(text.strip())
        if not m:
            raise ValueError(f"not a PEP 440 version: {text!r}")
        self.text = text
        self.release = tuple(int(p) for p in m.group("release").split("."))
        self.is_pre = m.group("pre_l") is not None
        self.is_dev = m.group("dev_n") is not None
        post = m.group("post_n1") or m.group("post_n2")
        self.post = int(post) if post else (0 if m.group("post_n2") == "" else -1)
        pre_rank = {"a": 0, "alpha": 0, "b": 1, "beta": 1}
        if self.is_pre:
            label = m.group("pre_l").lower()
            self._pre = (pre_rank.get(label, 2), int(m.group("pre_n") or 0))
        else:
            self._pre = (3, 0)
        self._dev = int(m.group("dev_n") or 0) if self.is_dev else 1 << 62

    @property
    def is_final(self) -> bool:
        return not (self.is_pre or self.is_dev)

    @property
    def series(self) -> str:
        return series_of(self.text)

    def key(self) -> tuple:
        rel = self.release
        while len(rel) > 1 and rel[-1] == 0:
            rel = rel[:-1]
        return (rel, self._pre, self.post, self._dev)


def series_of(version: str) -> str:
    parts = re.match(r"(\d+)\.(\d+)", version)
    if not parts:
        raise ValueError(f"no major.minor in {version!r}")
    return f"{parts.group(1)}.{parts.group(2)}"


def series_key(series: str) -> Tuple[int, int]:
    major, minor = series.split(".")
    return (int(major), int(minor))


def version_key(version: str) -> tuple:
    return Version(version).key()


# ---------------------------------------------------------------------------
# Fetching (with cache)
# ---------------------------------------------------------------------------


def http_get(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "djguard-gen-django-data"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return resp.read()


def load_pypi_json(offline: bool) -> dict:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cached = CACHE_DIR / "pypi-django.json"
    if offline:
        if not cached.exists():
            sys.exit(f"--offline: {cached} is missing; run once without --offline")
        return json.loads(cached.read_text(encoding="utf-8"))
    raw = http_get(PYPI_JSON_URL)
    data = json.loads(raw)
    cached.write_bytes(raw)
    return data


def is_yanked_release(files: Sequence[dict]) -> bool:
    # A release with no files at all (e.g. 1.0.x, which predate PyPI file
    # hosting) is not yanked; it just has nothing to download.
    return bool(files) and all(f.get("yanked") for f in files)


def newest_sdist(pypi: dict, wanted: Optional[str]) -> Tuple[str, dict]:
    candidates = []
    for ver, files in pypi["releases"].items():
        try:
            v = Version(ver)
        except ValueError:
            continue
        if not v.is_final or (wanted and ver != wanted):
            continue
        sdists = [f for f in files if f.get("packagetype") == "sdist" and not f.get("yanked")]
        if sdists:
            candidates.append((v.key(), ver, sdists[0]))
    if not candidates:
        sys.exit(f"no sdist found on PyPI for django {wanted or '(newest)'}")
    candidates.sort()
    _, ver, info = candidates[-1]
    return ver, info


def fetch_sdist(info: dict, offline: bool) -> Path:
    filename = info["filename"]
    path = CACHE_DIR / filename
    want = info.get("digests", {}).get("sha256")
    if path.exists():
        if not want or hashlib.sha256(path.read_bytes()).hexdigest() == want:
            return path
        warn(f"cached {path} does not match PyPI's sha256, downloading again")
    if offline:
        sys.exit(f"--offline: {path} is missing")
    # File URLs in the JSON may be relative ("../../packages/..."): resolve
    # them against the JSON's own URL.
    url = urllib.parse.urljoin(PYPI_JSON_URL, info["url"])
    data = http_get(url)
    if want and hashlib.sha256(data).hexdigest() != want:
        sys.exit(f"sha256 mismatch for {url}")
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def read_release_docs(sdist: Path) -> Dict[str, str]:
    """docs/releases/*.txt from the sdist, keyed by file name."""
    out: Dict[str, str] = {}
    with tarfile.open(sdist, "r:gz") as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if (
                member.isfile()
                and len(parts) == 4
                and parts[1:3] == ["docs", "releases"]
                and parts[3].endswith(".txt")
            ):
                fh = tar.extractfile(member)
                assert fh is not None
                out[parts[3]] = fh.read().decode("utf-8")
    if "security.txt" not in out:
        sys.exit(f"{sdist.name} has no docs/releases/security.txt")
    return out


# ---------------------------------------------------------------------------
# RST helpers
# ---------------------------------------------------------------------------


def parse_date(text: str) -> Optional[str]:
    m = DATE_RE.search(text)
    if not m:
        return None
    month = MONTHS[m.group(1).lower()]
    return dt.date(int(m.group(3)), month, int(m.group(2))).isoformat()


def rst_to_text(text: str) -> str:
    """Plain text of a short run of inline RST."""

    def role(m: re.Match) -> str:
        body = m.group(1)
        named = re.match(r"^(.*?)\s*<[^<>]*>$", body, re.S)
        if named and named.group(1):
            return named.group(1)
        body = body.lstrip("!")
        if body.startswith("~"):
            body = body[1:].rsplit(".", 1)[-1]
        return body

    text = re.sub(r":[A-Za-z][\w:+-]*:`([^`]*)`", role, text)
    # `label <url>`_ / `label <url>`__ / `label`_
    text = re.sub(r"`([^`<]*?)\s*<[^`>]*>`__?", r"\1", text)
    text = re.sub(r"``(.*?)``", r"\1", text, flags=re.S)
    text = re.sub(r"`([^`]*)`_{0,2}", r"\1", text)
    text = text.replace("\\ ", "").replace("\\", "")
    text = re.sub(r"\*\*(.*?)\*\*", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text


def headings(lines: List[str]) -> List[Tuple[int, str, str]]:
    """(line index, title, underline char) of every underlined RST heading."""
    out = []
    for i in range(len(lines) - 1):
        title, under = lines[i].rstrip(), lines[i + 1].rstrip()
        if (
            title.strip()
            and not title.startswith(" ")
            and len(under) >= 3
            and len(set(under)) == 1
            and under[0] in "=-~^\"'`#*+"
            and len(under) >= len(title.strip()) - 1
            and not (i > 0 and lines[i - 1].rstrip() == under)  # overline title
            and not set(title) <= set(under)  # a rule line, not a title
        ):
            out.append((i, title.strip(), under[0]))
    return out


# ---------------------------------------------------------------------------
# security.txt
# ---------------------------------------------------------------------------


class Entry:
    def __init__(self, date: str, heading: str, line: int):
        self.date = date
        self.heading = heading
        self.line = line  # 1-based line of the heading in security.txt
        self.cves: List[str] = []
        self.no_cve_number: Optional[int] = None
        self.summary = ""
        self.url: Optional[str] = None
        self.series: List[str] = []  # affected series, in file order
        self.hardening: List[str] = []  # X.Y.Z versions of later hardening releases
        self.advisory_only = False
        self.skipped_bullets: List[str] = []


BULLET_RE = re.compile(r"^\*\s+Django\s+(?P<what>[^:`]*?)\s*(?::|$|:commit:|\()", re.I)


def parse_security_txt(text: str) -> List[Entry]:
    lines = text.splitlines()
    heads = headings(lines)
    entries: List[Entry] = []
    for idx, (line_no, title, char) in enumerate(heads):
        if char != "-":
            continue
        end = heads[idx + 1][0] if idx + 1 < len(heads) else len(lines)
        # A following "~" sub-heading ("Versions affected") belongs to this
        # entry; stop only at the next "-" or "=" heading.
        for nxt in heads[idx + 1 :]:
            if nxt[2] in "-=":
                end = nxt[0]
                break
        else:
            end = len(lines)
        m = re.match(r"^(?P<date>[A-Z][a-z]+ \d{1,2},? \d{4})\s*[-\u2013\u2014]\s*(?P<rest>.*)$", title)
        if not m:
            warn(f"security.txt:{line_no + 1}: heading not understood, skipped: {title!r}")
            continue
        date = parse_date(m.group("date"))
        assert date
        entry = Entry(date, title, line_no + 1)
        rest = m.group("rest")
        entry.cves = find_cves(rest)
        if not entry.cves:
            nm = re.match(r"^No\s+CVE(?:\s+(\d+))?\s*$", rest, re.I)
            if nm:
                entry.no_cve_number = int(nm.group(1)) if nm.group(1) else 0
            else:
                warn(f"security.txt:{line_no + 1}: no CVE and not 'No CVE' in {title!r}; given a made-up id")
                entry.no_cve_number = 0
        parse_entry_body(entry, lines[line_no + 2 : end], line_no + 3)
        entries.append(entry)
    assign_no_cve_ids(entries)
    return entries


def parse_entry_body(entry: Entry, body: List[str], first_line: int) -> None:
    # Paragraphs: runs of non-blank lines.
    paras: List[Tuple[int, List[str]]] = []
    cur: List[str] = []
    start = 0
    for i, line in enumerate(body):
        if line.strip():
            if not cur:
                start = i
            cur.append(line)
        elif cur:
            paras.append((start, cur))
            cur = []
    if cur:
        paras.append((start, cur))

    in_hardening = False
    description_done = False
    for start, para in paras:
        joined = " ".join(l.strip() for l in para)
        if para[0].lstrip().startswith("* "):
            # A bullet list; continuation lines are indented.
            items: List[str] = []
            for l in para:
                if l.lstrip().startswith("* ") and not l.startswith("  "):
                    items.append(l.strip())
                elif items:
                    items[-1] += " " + l.strip()
            for item in items:
                handle_bullet(entry, item, in_hardening, first_line + start)
            continue
        if set(joined) <= set("~-=^ "):
            continue  # stray underline
        if joined.lower().startswith("versions affected"):
            continue
        if not description_done:
            # The first paragraph: one-line description, then the link to
            # the full announcement.
            description_done = True
            url = re.search(r"<(https?://[^>]+)>`__?", joined)
            if url:
                entry.url = url.group(1)
            desc = re.split(r"`\s*Full\s+description", joined, maxsplit=1)[0]
            desc = rst_to_text(desc)
            if desc.endswith(".") and not desc.endswith(".."):
                desc = desc[:-1]
            entry.summary = desc
            continue
        if re.search(r"advisory only|no patches were issued", joined, re.I):
            entry.advisory_only = True
            continue
        if re.match(r"there (was|were|has been) (an )?additional hardening", joined, re.I):
            in_hardening = True
            continue
        warn(f"security.txt:{first_line + start}: unexpected paragraph in {entry.heading!r}: {joined[:80]!r}")


def handle_bullet(entry: Entry, item: str, in_hardening: bool, line: int) -> None:
    m = BULLET_RE.match(item)
    what = (m.group("what") if m else "").strip().rstrip(":").strip()
    if not m or not what:
        warn(f"security.txt:{line}: bullet not understood in {entry.heading!r}: {item!r}")
        entry.skipped_bullets.append(item)
        return
    versions = re.findall(r"\b\d+\.\d+(?:\.\d+)*\b", what)
    if not versions:
        if not re.search(r"development|main|master|trunk", what, re.I):
            warn(f"security.txt:{line}: no version in bullet {item!r} of {entry.heading!r}")
        # "Django development version" / "main branch": unreleased code,
        # no series to report.
        entry.skipped_bullets.append(item)
        return
    for ver in versions:
        if ver.count(".") >= 2:
            # "Django 5.2.3 (patch)" names a release, not a series: this
            # only happens under an "additional hardening" paragraph.
            if not in_hardening:
                warn(f"security.txt:{line}: release {ver} listed as affected in {entry.heading!r}; ignored")
            entry.hardening.append(ver)
            continue
        if in_hardening:
            warn(f"security.txt:{line}: series {ver} under a hardening paragraph in {entry.heading!r}; ignored")
            continue
        if ver not in entry.series:
            entry.series.append(ver)


def assign_no_cve_ids(entries: List[Entry]) -> None:
    by_date: Dict[str, List[Entry]] = {}
    for e in entries:
        if e.no_cve_number is not None:
            by_date.setdefault(e.date, []).append(e)
    for date, group in by_date.items():
        used = {e.no_cve_number for e in group if e.no_cve_number}
        nxt = 1
        # Unnumbered ones are counted from the bottom of the file (new
        # entries are added at the top, so existing numbers never shift),
        # skipping numbers the headings already use.
        for e in sorted(group, key=lambda x: -x.line):
            if not e.no_cve_number:
                while nxt in used:
                    nxt += 1
                e.no_cve_number = nxt
                used.add(nxt)


def entry_ids(e: Entry) -> List[str]:
    if e.cves:
        return list(e.cves)
    return [f"{NO_CVE_PREFIX}-{e.date}-{e.no_cve_number}"]


# ---------------------------------------------------------------------------
# Release notes
# ---------------------------------------------------------------------------


class Notes:
    def __init__(self, version: str, text: str):
        self.version = version
        self.series = series_of(version)
        self.text = text
        head = "\n".join(text.splitlines()[:15])
        self.date = parse_date(head)
        lines = text.splitlines()
        # CVE ids in section titles ("CVE-2024-45230: Potential ...").
        self.title_cves: Dict[str, str] = {}
        for _, title, _ in headings(lines):
            for cve in find_cves(title):
                summary = re.sub(r"^(CVE-\d+-\d+[,/ ]*(and\s+)?)+:?\s*", "", title)
                self.title_cves.setdefault(cve, rst_to_text(summary))
        self.all_cves = set(find_cves(text))
        self.urls = {normalize_url(u) for u in re.findall(r"https?://[^\s>`]+", text)}


def normalize_url(url: str) -> str:
    url = url.strip().rstrip(".,)")
    url = re.sub(r"^https?://(www\.)?", "", url)
    return url.rstrip("/").lower()


def load_notes(docs: Dict[str, str]) -> Dict[str, List[Notes]]:
    per_series: Dict[str, List[Notes]] = {}
    for name, text in docs.items():
        m = re.match(r"^(\d+\.\d+(?:\.\d+)*)\.txt$", name)
        if not m:
            continue
        notes = Notes(m.group(1), text)
        per_series.setdefault(notes.series, []).append(notes)
    for lst in per_series.values():
        lst.sort(key=lambda n: version_key(n.version))
    return per_series


# ---------------------------------------------------------------------------
# Matching advisories to fixed releases
# ---------------------------------------------------------------------------


def find_fixed(
    entry: Entry,
    series: str,
    notes: Dict[str, List[Notes]],
    first_release_date: Dict[str, str],
    pypi_dates: Dict[str, str],
) -> Tuple[Optional[str], str]:
    """(fixed version or None, how it was found).

    In order of trust: a release-notes section titled with the CVE; a
    mention of the CVE in notes dated on the disclosure day; notes linking
    the advisory's weblog post; notes (or, for undated notes, the PyPI
    upload) dated on the disclosure day that talk about security; and
    finally a series whose first final release came out on or after the
    disclosure (the fix was in the branch before X.Y shipped).
    """
    if entry.advisory_only:
        return None, "advisory only"
    candidates = notes.get(series, [])
    cves = set(entry.cves)
    days = disclosure_days(entry)
    if cves:
        for n in candidates:
            if cves & set(n.title_cves):
                return n.version, "title"
        for n in candidates:
            if cves & n.all_cves and n.date in days:
                return n.version, "text"
    if entry.url:
        url = normalize_url(entry.url)
        for n in candidates:
            if url in n.urls:
                return n.version, "link"
    for n in candidates:
        if n.date in days and looks_like_security_release(n):
            return n.version, "date"
    for n in candidates:
        if n.date is None and looks_like_security_release(n):
            uploaded = pypi_dates.get(n.version)
            # Releases were often uploaded in the US evening: allow the next
            # UTC day.
            if uploaded and (uploaded in days or shift(uploaded, -1) in days):
                return n.version, "upload date"
    first = first_release_date.get(series)
    if first and first >= entry.date:
        return series, "pre-release"
    return None, "none"


def shift(day: str, n: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=n)).isoformat()


def disclosure_days(entry: Entry) -> set:
    days = {entry.date}
    d = url_date(entry.url)
    if d:
        days.add(d)
    return days


def url_date(url: Optional[str]) -> Optional[str]:
    """Date of a djangoproject.com weblog post from its URL."""
    if not url:
        return None
    m = re.search(r"/weblog/(\d{4})/([a-z]{3})/(\d{1,2})/", url)
    if not m:
        return None
    months = {name[:3]: i for name, i in MONTHS.items()}
    return dt.date(int(m.group(1)), months[m.group(2)], int(m.group(3))).isoformat()


def looks_like_security_release(n: Notes) -> bool:
    return bool(re.search(r"secur|vulnerab|attack|exploit|\bXSS\b|\bCSRF\b", n.text, re.I))


# ---------------------------------------------------------------------------
# Building the outputs
# ---------------------------------------------------------------------------


def collect_releases(pypi: dict) -> Tuple[Dict[str, List[str]], List[str], Dict[str, str]]:
    """Final releases per series, yanked finals, and the date of each release."""
    per_series: Dict[str, List[str]] = {}
    yanked: List[str] = []
    dates: Dict[str, str] = {}
    for ver, files in pypi["releases"].items():
        try:
            v = Version(ver)
        except ValueError:
            warn(f"PyPI: version {ver!r} is not PEP 440, skipped")
            continue
        if not v.is_final:
            continue
        if is_yanked_release(files):
            yanked.append(ver)
            continue
        per_series.setdefault(v.series, []).append(ver)
        uploads = sorted(f["upload_time_iso_8601"][:10] for f in files if f.get("upload_time_iso_8601"))
        if uploads:
            dates[ver] = uploads[0]
    for lst in per_series.values():
        lst.sort(key=version_key)
    yanked.sort(key=version_key)
    return per_series, yanked, dates


def release_date(ver: str, pypi_dates: Dict[str, str], notes: Dict[str, List[Notes]]) -> Optional[str]:
    """The date in the release notes, else the first PyPI upload (UTC)."""
    for n in notes.get(series_of(ver), []):
        if n.version == ver and n.date:
            return n.date
    if ver in pypi_dates:
        return pypi_dates[ver]
    return OLD_RELEASE_DATES.get(ver)


def build_series(
    releases: Dict[str, List[str]],
    pypi_dates: Dict[str, str],
    notes: Dict[str, List[Notes]],
) -> List[dict]:
    out = []
    for series in sorted(releases, key=series_key, reverse=True):
        vers = releases[series]
        if series in SUPPORT_CALENDAR:
            first, main_end, ext_end, lts, planned = SUPPORT_CALENDAR[series]
            first_pypi = pypi_dates.get(series) or pypi_dates.get(series + ".0")
            if first_pypi and abs((dt.date.fromisoformat(first_pypi) - dt.date.fromisoformat(first)).days) > 1:
                warn(f"calendar: {series} first release {first} but PyPI upload of {series} is {first_pypi}")
        elif series_key(series) < (1, 4):
            first = release_date(series, pypi_dates, notes) or release_date(vers[0], pypi_dates, notes)
            last = release_date(vers[-1], pypi_dates, notes)
            if not first or not last:
                sys.exit(f"no date known for the first/last release of {series}; add it to OLD_RELEASE_DATES")
            # Before 1.4 there was no published support calendar: support
            # simply ended with the last release of the series.
            main_end, ext_end, lts, planned = last, last, False, False
        else:
            sys.exit(f"series {series} is on PyPI but not in SUPPORT_CALENDAR; add its dates")
        out.append(
            {
                "series": series,
                "first_release": first,
                "end_mainstream": main_end,
                "end_extended": ext_end,
                "lts": lts,
                "planned": planned,
                "releases": vers,
            }
        )
    return out


def id_key(ident: str) -> tuple:
    m = re.match(r"^CVE-(\d+)-(\d+)$", ident)
    if m:
        return (0, int(m.group(1)), int(m.group(2)), "")
    return (1, 0, 0, ident)


def dump(obj: object) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def write_if_changed(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return
    tmp = path.with_suffix(".json.part")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)
    tmp.replace(path)


def generated_date(arg: Optional[str]) -> str:
    if arg:
        return dt.date.fromisoformat(arg).isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--offline", action="store_true", help="use only cached downloads")
    ap.add_argument("--django-version", help="take the docs from this release instead of the newest")
    ap.add_argument("--date", help="value of 'generated' (YYYY-MM-DD); default SOURCE_DATE_EPOCH or today (UTC)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the files would change")
    args = ap.parse_args(argv)

    today = generated_date(args.date)
    pypi = load_pypi_json(args.offline)
    version, sdist_info = newest_sdist(pypi, args.django_version)
    sdist = fetch_sdist(sdist_info, args.offline)
    docs = read_release_docs(sdist)
    notes = load_notes(docs)
    entries = parse_security_txt(docs["security.txt"])

    releases, yanked, pypi_dates = collect_releases(pypi)
    series_list = build_series(releases, pypi_dates, notes)
    first_release_date = {s["series"]: s["first_release"] for s in series_list}

    # --- advisories from security.txt -------------------------------------
    advisories: Dict[str, dict] = {}
    unresolved: List[str] = []
    fallbacks: List[str] = []
    oddities: List[str] = []
    known_in_archive = set()
    for e in entries:
        known_in_archive.update(e.cves)
        affected = []
        label = f"{'/'.join(entry_ids(e))} ({e.date})"
        found_by: List[str] = []
        missing: List[str] = []
        for series in sorted(e.series, key=series_key, reverse=True):
            fixed, how = find_fixed(e, series, notes, first_release_date, pypi_dates)
            tag = f"{label} series {series}"
            if fixed is None:
                missing.append(series)
            elif how != "title":
                found_by.append(f"{fixed} by {how}")
            # Mentions that were not taken as the fix (e.g. a later release
            # fixing a shortcoming of the original patch).
            for n in notes.get(series, []):
                if set(e.cves) & n.all_cves and n.version != fixed:
                    earlier = fixed is None or version_key(n.version) < version_key(fixed)
                    if earlier or not (set(e.cves) & set(n.title_cves)):
                        oddities.append(f"{tag}: {n.version}.txt ({n.date}) also mentions it; fixed taken as {fixed}")
            affected.append({"series": series, "fixed": fixed})
        if found_by:
            fallbacks.append(f"{label}: {', '.join(found_by)}")
        if missing:
            reason = "advisory only, no patch issued" if e.advisory_only else "no release notes or PyPI date match"
            unresolved.append(f"{label}: series {', '.join(missing)} ({reason})")
        if not e.series:
            warn(f"security.txt:{e.line}: {e.heading!r} names no affected series")
        if e.hardening:
            oddities.append(
                f"{label}: security.txt lists later hardening releases {', '.join(e.hardening)} "
                "under this entry; they are not counted as the fix"
            )
        for ident in entry_ids(e):
            if ident in advisories:
                warn(f"security.txt:{e.line}: {ident} listed twice; keeping the first entry")
                continue
            advisories[ident] = {"id": ident, "date": e.date, "summary": e.summary, "affected": affected}

    # --- CVEs only the release notes know about -----------------------------
    notes_only: Dict[str, List[Notes]] = {}
    for lst in notes.values():
        for n in lst:
            for cve in n.title_cves:
                if cve not in known_in_archive:
                    notes_only.setdefault(cve, []).append(n)
    for cve, found in sorted(notes_only.items(), key=lambda kv: id_key(kv[0])):
        found.sort(key=lambda n: (n.date or "", version_key(n.version)))
        first_per_series: Dict[str, Notes] = {}
        for n in sorted(found, key=lambda n: version_key(n.version)):
            first_per_series.setdefault(n.series, n)
        dates = [n.date for n in first_per_series.values() if n.date]
        if not dates:
            warn(f"{cve}: named only in undated release notes; left out")
            continue
        date = min(dates)
        summary = found[0].title_cves[cve]
        if summary.endswith("."):
            summary = summary[:-1]
        series_desc = ", ".join(f"{s}: {n.version}" for s, n in sorted(first_per_series.items(), key=lambda kv: series_key(kv[0]), reverse=True))
        warn(f"{cve} ({date}) is in the release notes ({series_desc}) but not in security.txt"
             + ("; added from the notes" if INCLUDE_NOTES_ONLY_CVES else "; left out"))
        if INCLUDE_NOTES_ONLY_CVES:
            advisories[cve] = {
                "id": cve,
                "date": date,
                "summary": summary,
                "affected": [
                    {"series": s, "fixed": n.version}
                    for s, n in sorted(first_per_series.items(), key=lambda kv: series_key(kv[0]), reverse=True)
                ],
            }

    # --- consistency between security.txt and the notes ---------------------
    notes_by_version = {n.version: n for lst in notes.values() for n in lst}
    for e in entries:
        ud = url_date(e.url)
        if ud and ud != e.date:
            oddities.append(f"{'/'.join(entry_ids(e))}: security.txt dates it {e.date}, its weblog link is dated {ud}")
        for cve in e.cves:
            named_in = sorted({n.series for n in notes_by_version.values() if cve in n.title_cves}, key=series_key)
            extra = [s for s in named_in if s not in e.series]
            if extra:
                oddities.append(f"{cve}: release notes of series {', '.join(extra)} name it, security.txt does not list them")
        for ident in entry_ids(e)[:1]:
            for aff in advisories[ident]["affected"]:
                n = notes_by_version.get(aff["fixed"] or "")
                if n and n.date and n.date not in disclosure_days(e) and n.version != n.series:
                    oddities.append(f"{ident}: fixed in {n.version}, whose notes are dated {n.date}, not {e.date}")
        if not e.url:
            oddities.append(f"{'/'.join(entry_ids(e))}: no 'Full description' link")
    for n in sorted(notes_by_version.values(), key=lambda n: version_key(n.version)):
        for cve in sorted(n.all_cves - set(n.title_cves) - known_in_archive - set(notes_only), key=id_key):
            oddities.append(f"{n.version}.txt mentions {cve} in passing; security.txt has no such entry (not a Django issue?)")

    adv_list = sorted(advisories.values(), key=lambda a: id_key(a["id"]))
    adv_list.sort(key=lambda a: a["date"], reverse=True)

    advisories_doc = {
        "generated": today,
        "source": f"{sdist.name}: docs/releases/security.txt and docs/releases/*.txt",
        "advisories": adv_list,
    }
    releases_doc = {
        "generated": today,
        "source": "https://pypi.org/pypi/django/json (releases) and Django's published support calendar (dates)",
        "series": series_list,
        "yanked": yanked,
    }

    # --- self-check ----------------------------------------------------------
    status = 0
    all_releases = {s["series"]: set(s["releases"]) for s in series_list}
    not_on_pypi: Dict[str, int] = {}
    for a in adv_list:
        for aff in a["affected"]:
            fixed = aff["fixed"]
            if aff["series"] not in all_releases:
                not_on_pypi[aff["series"]] = not_on_pypi.get(aff["series"], 0) + 1
                if fixed is not None:
                    warn(f"check: {a['id']}: fixed {fixed}, but series {aff['series']} has no release on PyPI")
                    status = 1
                continue
            if fixed is None or fixed in all_releases.get(aff["series"], set()):
                continue
            if fixed in KNOWN_MISSING_RELEASES:
                warn(f"check: {a['id']}: fixed {fixed} is not on PyPI (known: {KNOWN_MISSING_RELEASES[fixed]})")
            elif fixed in yanked:
                warn(f"check: {a['id']}: fixed {fixed} is yanked on PyPI")
                status = 1
            else:
                warn(f"check: {a['id']}: fixed {fixed} is not a release of series {aff['series']} on PyPI (UNEXPLAINED)")
                status = 1

    if not_on_pypi:
        warn(
            "check: series without any release on PyPI (fixed stays null): "
            + ", ".join(f"{k} ({v} advisories)" for k, v in sorted(not_on_pypi.items(), key=lambda kv: series_key(kv[0])))
        )
    if oddities:
        warn("\nOddities in Django's docs (security.txt vs release notes):")
        for o in oddities:
            warn("  " + o)
    if fallbacks:
        warn("\nFixed releases found by other means than a release-notes section titled with the CVE:")
        for f in fallbacks:
            warn("  " + f)
    if unresolved:
        warn("\nAffected series left with fixed=null:")
        for u in unresolved:
            warn("  " + u)

    n_null = sum(1 for a in adv_list if any(x["fixed"] is None for x in a["affected"]))
    warn(
        f"\nDjango {version} docs: {len(adv_list)} advisories ({len(entries)} security.txt entries, "
        f"{len(adv_list) - sum(len(entry_ids(e)) for e in entries)} added from release notes), "
        f"{n_null} with at least one fixed=null; {len(series_list)} series, "
        f"{sum(len(s['releases']) for s in series_list)} releases, {len(yanked)} yanked"
    )
    warn("newest release per series: " + ", ".join(f"{s['series']}→{s['releases'][-1]}" for s in series_list))

    outputs = [(ADVISORIES_OUT, dump(advisories_doc)), (RELEASES_OUT, dump(releases_doc))]
    if args.check:
        stale = [p for p, c in outputs if not p.exists() or p.read_text(encoding="utf-8") != c]
        for p in stale:
            warn(f"would change: {p.relative_to(REPO_ROOT)}")
        return 1 if stale or status else 0
    for path, content in outputs:
        write_if_changed(path, content)
    return status


if __name__ == "__main__":
    sys.exit(main())
