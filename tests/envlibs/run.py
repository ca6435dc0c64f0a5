#!/usr/bin/env python3
"""Check djguard's reading of environment-dependent settings against the libraries themselves.

Each case is one settings expression (os.environ, django-environ, python-decouple, environs,
pydantic-settings, dj-database-url)
evaluated under several environments: once by real Python with the library installed from
PyPI (into .cache/envlibs), once by `djguard settings --env ...`. The values must be equal
with their types; where the library raises (a required variable is unset, a value does not
parse), djguard must say "unknown" instead of inventing a value.

The same is done for django-split-settings: small projects whose settings package `include()`s
component files (wildcards, `optional()` files present and missing, a required file missing),
imported by real Python with the library and read by djguard; every named setting must agree, and
where the import raises djguard must say "unknown".

Usage: python3 tests/envlibs/run.py [--djguard target/debug/djguard]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIBS = os.path.join(ROOT, ".cache", "envlibs")
PACKAGES = ["django-environ==0.14.0", "python-decouple==3.8", "environs==15.2.0", "pydantic-settings==2.16.3", "dj-database-url==3.1.2", "django-split-settings==1.3.2"]

HEADER = """import os
import environ
from decouple import config, Csv
from environs import Env
env = environ.Env(SCHEME_DEBUG=(bool, False), SCHEME_HOSTS=(list, ["a.example"]), SCHEME_N=(int, 3))
envs = Env()
import dj_database_url
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")
    debug: bool = True
    n: int = 3
    rate: float = 0.5
    hosts: list[str] = ["a.example"]
    name: str = Field(default="dflt")
    maybe: int | None = None
class Required(BaseSettings):
    secret: str
pyd = AppSettings()
"""

# (expression, environments to try). An environment is a dict of variables; {} = unset.
UNSET = {}
CASES = [
    # os.environ
    ('os.environ.get("X")', [UNSET, {"X": "a"}, {"X": ""}]),
    ('os.environ.get("X", "dflt")', [UNSET, {"X": "v"}]),
    ('os.getenv("X", False)', [UNSET, {"X": "False"}]),
    ('os.environ["X"]', [UNSET, {"X": "v"}]),
    ('"X" in os.environ', [UNSET, {"X": ""}]),
    ('os.environ.get("X", "1") == "1"', [UNSET, {"X": "0"}, {"X": "1"}]),
    ('os.environ.get("X", "a.example,b.example").split(",")', [UNSET, {"X": "c.example"}]),
    ('int(os.environ.get("X", "5"))', [UNSET, {"X": " 7 "}, {"X": "1_000"}]),
    ('os.environ.get("X", "").lower() in ("1", "true", "yes")', [UNSET, {"X": "TRUE"}, {"X": "no"}]),
    ('os.environ.setdefault("X", "d")', [UNSET, {"X": "given"}]),
    # django-environ
    ('env("SCHEME_DEBUG")', [UNSET, {"SCHEME_DEBUG": "true"}, {"SCHEME_DEBUG": "0"}, {"SCHEME_DEBUG": "yes"},
                             {"SCHEME_DEBUG": "False"}, {"SCHEME_DEBUG": ""}, {"SCHEME_DEBUG": " ON "}, {"SCHEME_DEBUG": "2"}]),
    ('env("SCHEME_HOSTS")', [UNSET, {"SCHEME_HOSTS": "a,b"}, {"SCHEME_HOSTS": "a,,b"}, {"SCHEME_HOSTS": ""}]),
    ('env("SCHEME_N")', [UNSET, {"SCHEME_N": " 42 "}]),
    ('env.bool("X", default=True)', [UNSET, {"X": "off"}, {"X": "1"}, {"X": "ok"}]),
    ('env.bool("X", default=False)', [UNSET, {"X": "on"}, {"X": "y"}]),
    ('env.bool("X")', [UNSET, {"X": "true"}]),
    ('env.int("X", default=0)', [UNSET, {"X": "31536000"}, {"X": "-1"}]),
    ('env.str("X", default="dflt")', [UNSET, {"X": "v"}]),
    ('env.str("X")', [UNSET, {"X": "v"}]),
    ('env.list("X", default=[])', [UNSET, {"X": "a,b"}, {"X": "a, b"}]),
    ('env.list("X", default=["x"])', [UNSET, {"X": ""}]),
    ('env("X", default="dflt")', [UNSET, {"X": "v"}]),
    ('env("X", default=False)', [UNSET, {"X": "true"}, {"X": "0"}]),
    ('env("X", default=5)', [UNSET, {"X": "7"}]),
    ('env("X", default=None)', [UNSET, {"X": ""}, {"X": "v"}]),
    ('env("X")', [UNSET, {"X": "v"}]),
    ('env.float("X", default=1.5)', [UNSET, {"X": "2.25"}, {"X": "1,234.5"}]),
    ('env.tuple("X", default=())', [UNSET, {"X": "(a,b)"}]),
    # python-decouple
    ('config("X")', [UNSET, {"X": "v"}]),
    ('config("X", default="dflt")', [UNSET, {"X": "v"}]),
    ('config("X", default=False, cast=bool)', [UNSET, {"X": "True"}, {"X": "0"}, {"X": "off"}, {"X": ""},
                                               {"X": "maybe"}, {"X": "YES"}]),
    ('config("X", default=True, cast=bool)', [UNSET, {"X": "no"}]),
    ('config("X", default="false", cast=bool)', [UNSET]),
    ('config("X", default="a.example, b.example", cast=Csv())', [UNSET, {"X": "x, y"}, {"X": "'a,b',c"}, {"X": ""}]),
    ('config("X", default="", cast=Csv())', [UNSET]),
    ('config("X", default=10, cast=int)', [UNSET, {"X": "20"}, {"X": "x"}]),
    ('config("X", cast=bool)', [UNSET, {"X": "t"}]),
    # environs
    ('envs.bool("X", default=False)', [UNSET, {"X": "true"}, {"X": "0"}, {"X": "TRUE"}, {"X": "tRuE"}, {"X": "maybe"}]),
    ('envs.bool("X")', [UNSET, {"X": "yes"}]),
    ('envs.int("X", default=3)', [UNSET, {"X": "4"}, {"X": "x"}]),
    ('envs.str("X", default="dflt")', [UNSET, {"X": "v"}]),
    ('envs("X", default="dflt")', [UNSET, {"X": "v"}]),
    ('envs.list("X", default=[])', [UNSET, {"X": "a,b"}, {"X": "a, b"}, {"X": ""}]),
    # pydantic-settings
    ('pyd.debug', [UNSET, {"APP_DEBUG": "false"}, {"app_debug": "0"}, {"APP_DEBUG": "YES"}, {"APP_DEBUG": "on"},
                   {"APP_DEBUG": "maybe"}, {"APP_DEBUG": ""}]),
    ('pyd.n', [UNSET, {"APP_N": " 42 "}, {"APP_N": "1_000"}, {"APP_N": "x"}]),
    ('pyd.rate', [UNSET, {"APP_RATE": "0.25"}]),
    ('pyd.hosts', [UNSET, {"APP_HOSTS": '["x.example", "y.example"]'}, {"APP_HOSTS": "x,y"}]),
    ('pyd.name', [UNSET, {"APP_NAME": "v"}]),
    ('pyd.maybe', [UNSET, {"APP_MAYBE": "7"}]),
    ('Required().secret', [UNSET, {"SECRET": "s3cr3t"}, {"secret": "lower"}]),
    # dj-database-url
    ('dj_database_url.config(default="postgres://shop:s%40cret@db.example:5432/shop")',
     [UNSET, {"DATABASE_URL": "mysql://root@localhost/app"}, {"DATABASE_URL": "sqlite:////var/db/x.sqlite3"}]),
    ('dj_database_url.config()', [UNSET, {"DATABASE_URL": "postgis://u:p@h/n?sslmode=require"}]),
    ('dj_database_url.config(env="PRIMARY_DB", conn_max_age=600)', [UNSET, {"PRIMARY_DB": "postgres://h/n"}]),
    ('dj_database_url.parse("postgresql://a:b%2Fc@[::1]:6543/x")', [UNSET]),
    ('dj_database_url.parse("postgres://U:P@DB.Example.COM/Name")', [UNSET]),
]

PYTHON_DUMP = r"""
import importlib, json, sys
def enc(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted((enc(x) for x in v), key=lambda x: json.dumps(x, separators=(",", ":")))
    if isinstance(v, dict) and all(isinstance(k, str) for k in v):
        return {k: enc(x) for k, x in v.items()}
    return {"object": type(v).__name__}
try:
    mod = importlib.import_module("case_settings")
    print(json.dumps({"value": enc(mod.V)}))
except Exception as e:
    print(json.dumps({"raises": type(e).__name__ + ": " + str(e)[:120]}))
"""


SPLIT_INIT = """import os
from split_settings.tools import include, optional
"""
SPLIT_BASE = 'DEBUG = False\nALLOWED_HOSTS = ["a.example"]\nINSTALLED_APPS = ["django.contrib.auth"]\n'
SPLIT_SECURITY = ('SESSION_COOKIE_SECURE = not DEBUG\nALLOWED_HOSTS += ["b.example"]\n'
                  'SECRET_KEY = os.environ.get("APP_KEY", "fallback-key")\n')
# (files of the settings package, names to compare, environments)
SPLIT_CASES = [
    ({"__init__.py": SPLIT_INIT + 'include("components/base.py", "components/security.py", optional("local.py"))\n',
      "components/base.py": SPLIT_BASE, "components/security.py": SPLIT_SECURITY},
     ["DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE"], [UNSET]),
    ({"__init__.py": SPLIT_INIT + 'include("components/base.py", "components/security.py", optional("local.py"))\n',
      "components/base.py": SPLIT_BASE, "components/security.py": SPLIT_SECURITY,
      "local.py": 'DEBUG = True\nALLOWED_HOSTS = ["*"]\n'},
     ["DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "SECRET_KEY"], [UNSET, {"APP_KEY": "k"}]),
    ({"__init__.py": SPLIT_INIT + 'include("components/*.py")\nX_COUNT = len(INSTALLED_APPS)\n',
      "components/apps.py": 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.admin"]\n',
      "components/secret.py": 'import os\nSECRET_KEY = os.environ.get("APP_KEY", "fallback-key")\n'},
     ["INSTALLED_APPS", "SECRET_KEY", "X_COUNT"], [UNSET, {"APP_KEY": "k"}]),
    ({"__init__.py": SPLIT_INIT + 'DEBUG = True\ninclude("components/base.py")\n',
      "components/base.py": 'include("more.py")\nTIME_ZONE = "UTC"\n', "components/more.py": 'DEBUG = False\n'},
     ["DEBUG", "TIME_ZONE"], [UNSET]),
    ({"__init__.py": SPLIT_INIT + 'include("components/missing.py")\n', "components/base.py": SPLIT_BASE},
     ["DEBUG", "ALLOWED_HOSTS"], [UNSET]),
]

SPLIT_DUMP = r"""
import importlib, json, sys
names = sys.argv[1].split(",")
def enc(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    return {"object": type(v).__name__}
try:
    mod = importlib.import_module("proj.settings")
    print(json.dumps({"values": {n: enc(getattr(mod, n)) for n in names if hasattr(mod, n)}}))
except Exception as e:
    print(json.dumps({"raises": type(e).__name__ + ": " + str(e)[:120]}))
"""


def run_split_cases(djguard, work):
    failures = 0
    total = 0
    for i, (files, names, environments) in enumerate(SPLIT_CASES):
        case_dir = os.path.join(work, f"split{i:03d}")
        pkg = os.path.join(case_dir, "proj", "settings")
        os.makedirs(pkg)
        open(os.path.join(case_dir, "proj", "__init__.py"), "w").close()
        for rel, text in files.items():
            path = os.path.join(pkg, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
        for environment in environments:
            total += 1
            clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
            clean.update(environment)
            clean["PYTHONPATH"] = os.pathsep.join([case_dir, LIBS])
            clean["PYTHONDONTWRITEBYTECODE"] = "1"
            py = subprocess.run([sys.executable, "-c", SPLIT_DUMP, ",".join(names)], env=clean, cwd=case_dir,
                                capture_output=True, text=True, timeout=60)
            try:
                truth = json.loads(py.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                print(f"harness failure for split-settings case {i}: {py.stderr[-500:]}")
                failures += 1
                continue
            cmd = [djguard, "settings", case_dir, "--settings", "proj/settings/__init__.py", "--no-config"]
            for k, v in environment.items():
                cmd += ["--env", f"{k}={v}"]
            dj = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            if dj.returncode != 0:
                print(f"djguard failed for split-settings case {i}: {dj.stderr.strip()}")
                failures += 1
                continue
            settings = json.loads(dj.stdout)["modules"][0]["settings"]
            bad = []
            for n in names:
                ours = settings.get(n, {}).get("value")
                ours_unknown = isinstance(ours, dict) and set(ours) == {"unknown"}
                if "raises" in truth:
                    # No value claimed: unknown, or not listed at all (the module's names are
                    # unknown past the failing include()).
                    ok = ours_unknown or n not in settings
                elif n not in truth["values"]:
                    ok = True
                else:
                    ok = not ours_unknown and typed(ours) == typed(truth["values"][n])
                if not ok:
                    bad.append(f"{n}: library {truth.get('values', truth).get(n, truth) if 'values' in truth else truth}, djguard {ours}")
            if bad:
                failures += 1
                print(f"DIFFERENT  split-settings case {i} env={environment}\n    " + "\n    ".join(bad))
    return total, failures


def ensure_libs():
    marker = os.path.join(LIBS, ".installed-" + "-".join(PACKAGES).replace("=", ""))
    if os.path.exists(marker):
        return
    shutil.rmtree(LIBS, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-warn-conflicts",
                    "--target", LIBS, *PACKAGES], check=True)
    open(marker, "w").close()


def typed(v):
    """A comparison key that keeps Python's types apart (True is not 1, 1 is not 1.0)."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", v)
    if isinstance(v, list):
        return ("list", tuple(typed(x) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple(sorted((k, typed(x)) for k, x in v.items())))
    return (type(v).__name__, v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--djguard", default=os.path.join(ROOT, "target", "debug", "djguard"))
    args = ap.parse_args()
    ensure_libs()
    work = tempfile.mkdtemp(prefix="djguard-envlibs-")
    failures = 0
    total = 0
    try:
        for i, (expr, environments) in enumerate(CASES):
            case_dir = os.path.join(work, f"case{i:03d}")
            os.makedirs(case_dir)
            with open(os.path.join(case_dir, "case_settings.py"), "w") as fh:
                fh.write(HEADER + f"V = {expr}\n")
            for environment in environments:
                total += 1
                clean = {k: v for k, v in os.environ.items()
                         if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
                clean.update(environment)
                clean["PYTHONPATH"] = os.pathsep.join([case_dir, LIBS])
                clean["PYTHONDONTWRITEBYTECODE"] = "1"
                py = subprocess.run([sys.executable, "-c", PYTHON_DUMP], env=clean, cwd=case_dir,
                                    capture_output=True, text=True, timeout=60)
                try:
                    truth = json.loads(py.stdout.strip().splitlines()[-1])
                except (IndexError, json.JSONDecodeError):
                    print(f"harness failure for {expr!r}: {py.stderr[-500:]}")
                    failures += 1
                    continue
                cmd = [args.djguard, "settings", case_dir, "--settings", "case_settings.py", "--no-config"]
                for k, v in environment.items():
                    cmd += ["--env", f"{k}={v}"]
                dj = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
                if dj.returncode != 0:
                    print(f"djguard failed for {expr!r}: {dj.stderr.strip()}")
                    failures += 1
                    continue
                ours = json.loads(dj.stdout)["modules"][0]["settings"].get("V", {}).get("value")
                ours_unknown = isinstance(ours, dict) and set(ours) == {"unknown"}
                if "raises" in truth:
                    ok = ours_unknown
                else:
                    ok = not ours_unknown and typed(ours) == typed(truth["value"])
                if not ok:
                    failures += 1
                    print(f"DIFFERENT  {expr}  env={environment}\n    library: {truth}\n    djguard: {ours}")
        split_total, split_failures = run_split_cases(args.djguard, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"django-split-settings: {split_total - split_failures}/{split_total} projects read as the library "
          "imports them")
    print(f"environment readers: {total - failures}/{total} readings identical to the libraries "
          f"({', '.join(PACKAGES)})")
    failures += split_failures
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
