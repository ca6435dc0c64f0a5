"""Generate the Django settings modules used by the differential test.

Deterministic: the same seed gives byte-identical cases on every run and every
machine (no set ordering, no hash seeds, no clock). Each case is a directory
holding a settings module, sometimes split into base.py + prod.py, sometimes
with a project-local views.py / middleware.py / urls.py. A manifest
(cases.json) names every case, its DJANGO_SETTINGS_MODULE and the settings
file djguard should be pointed at.

Every value is statically decidable: nothing reads the environment, the clock
or the file system. What varies is both the *value* of each setting the
security checks read and the *Python construct* used to write it (helper
names, concatenation, f-strings, %-formatting, .format, +=, list methods,
split settings, later overrides), so that the test exercises djguard's
evaluator as much as its rule table.

    python generate.py OUTDIR [--cases N]
"""

import argparse
import json
import os
import random
import shutil
import sys

SEED = "djguard-differential-v1"
DEFAULT_CASES = 400
MANIFEST = "cases.json"

# --------------------------------------------------------------------------
# Vocabulary

SEC = "django.middleware.security.SecurityMiddleware"
XFO = "django.middleware.clickjacking.XFrameOptionsMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
SESS = "django.contrib.sessions.middleware.SessionMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
AUTHMW = "django.contrib.auth.middleware.AuthenticationMiddleware"
MSGMW = "django.contrib.messages.middleware.MessageMiddleware"
CSPMW = "django.middleware.csp.ContentSecurityPolicyMiddleware"
SECURITY_MWS = [SEC, XFO, CSRF, SESS]
FILLER_MWS = [COMMON, AUTHMW, MSGMW]

ADMIN = "django.contrib.admin"
AUTH = "django.contrib.auth"
CT = "django.contrib.contenttypes"
SESSIONS = "django.contrib.sessions"
SESSIONS_CONFIG = "django.contrib.sessions.apps.SessionsConfig"
MESSAGES = "django.contrib.messages"
STATICFILES = "django.contrib.staticfiles"

DJANGO_TEMPLATES = "django.template.backends.django.DjangoTemplates"
CP_REQUEST = "django.template.context_processors.request"
CP_AUTH = "django.contrib.auth.context_processors.auth"
CP_MESSAGES = "django.contrib.messages.context_processors.messages"
CP_CSP = "django.template.context_processors.csp"

NONCE_SENTINEL = "<CSP_NONCE_SENTINEL>"

KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$^&*(-_=+)"


def key(length, start=0):
    """A strong-looking key of exactly `length` characters."""
    n = len(KEY_ALPHABET)
    return "".join(KEY_ALPHABET[(start + i * 11) % n] for i in range(length))


GOOD_KEY = key(64)
GOOD_KEY2 = key(58, start=3)
KEY49, KEY50, KEY51 = key(49, 5), key(50, 5), key(51, 5)
FOUR_DISTINCT = ("wxyz" * 20)[:60]
FIVE_DISTINCT = ("vwxyz" * 20)[:60]
INSECURE_KEY = "django-insecure-" + key(50, 11)
INSECURE_KEY_CAPS = "Django-Insecure-" + key(50, 11)
NONASCII50 = ("ключбезопасностиДжанго" * 3)[:50]  # 50 code points, 100 bytes
NONASCII49 = NONASCII50[:49]

REFERRER_VALUES = [
    None, "same-origin", "no-referrer , same-origin", "", "same-origin,",
    "same-origin,,origin", "same-origin;origin", "Same-Origin", "bogus",
    "strict-origin-when-cross-origin", " unsafe-url ", ["same-origin"],
    ("origin", "no-referrer"), frozenset({"same-origin", "origin"}),
    [" same-origin"], [], ["bogus"], ("Same-Origin",),
]
COOP_VALUES = [
    None, "same-origin", "same-origin-allow-popups", "unsafe-none", "",
    "Same-Origin", "bogus", " same-origin", ("same-origin",),
]


class Absent:
    def __repr__(self):
        return "ABSENT"


ABSENT = Absent()  # marks a setting that must not be written at all


class Code:
    """Source text written as-is (never decomposed)."""

    def __init__(self, code, imports=()):
        self.code, self.imports = code, tuple(imports)


class Local:
    """A dotted path into the case's own package, e.g. Local("views.f")."""

    def __init__(self, path):
        self.path = path


class Nonce:
    """CSP.NONCE. `how`: "import" (try-import with fallback), "literal", "direct"
    (plain `from django.utils.csp import CSP`, which only Django >= 6.0 loads)."""

    def __init__(self, how=None):
        self.how = how


class NonceIn:
    """A string directive value that contains the nonce sentinel."""

    def __init__(self, prefix, suffix="", how=None):
        self.prefix, self.suffix, self.how = prefix, suffix, how


# --------------------------------------------------------------------------
# Rendering values and assignments as Python source

FSTRING_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-,:;/'")


class Module:
    def __init__(self, rng, mixed, local_prefix):
        self.rng = rng
        self.mixed = mixed
        self.local_prefix = local_prefix
        self.imports = []
        self.blocks = []  # multi-line blocks placed after the imports
        self.body = []
        self.names = set()
        self.nonce_name = None

    # -- helpers ----------------------------------------------------------
    def need_import(self, line):
        if line not in self.imports:
            self.imports.append(line)

    def fresh(self, hint):
        hint = hint.strip("_").lower() or "value"
        style = self.rng.choice(["_upper", "_lower", "lower"])
        base = {"_upper": "_" + hint.upper(), "_lower": "_" + hint, "lower": hint}[style]
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}{n}", n + 1
        self.names.add(name)
        return name

    def helper(self, hint, code):
        name = self.fresh(hint)
        self.body.append(f"{name} = {code}")
        return name

    def nonce(self, how):
        if how == "literal":
            return q(NONCE_SENTINEL)
        if how == "direct":
            self.need_import("from django.utils.csp import CSP")
            return "CSP.NONCE"
        if self.nonce_name is None:
            self.nonce_name = "_NONCE"
            self.blocks.append(
                "try:\n"
                "    from django.utils.csp import CSP\n"
                "\n"
                "    _NONCE = CSP.NONCE\n"
                "except ImportError:  # Django < 6.0 has no CSP support\n"
                f"    _NONCE = {q(NONCE_SENTINEL)}\n"
            )
        return self.nonce_name

    def chance(self, p):
        return self.mixed and self.rng.random() < p

    # -- expressions ------------------------------------------------------
    def expr(self, value, top=False):
        rng = self.rng
        if isinstance(value, Code):
            for line in value.imports:
                self.need_import(line)
            return value.code
        if isinstance(value, Local):
            return self.expr(self.local_prefix + value.path)
        if isinstance(value, Nonce):
            return self.nonce(value.how or rng.choice(["import", "import", "literal"]))
        if isinstance(value, NonceIn):
            how = value.how or rng.choice(["import", "literal"])
            if how == "literal":
                return q(value.prefix + NONCE_SENTINEL + value.suffix)
            name = self.nonce(how)
            if all(c in FSTRING_SAFE for c in value.prefix + value.suffix) and rng.random() < 0.6:
                return f'f"{value.prefix}{{{name}}}{value.suffix}"'
            parts = [q(value.prefix)] if value.prefix else []
            parts.append(name)
            if value.suffix:
                parts.append(q(value.suffix))
            return " + ".join(parts)
        if top and not isinstance(value, (list, tuple, frozenset, dict)) and self.chance(0.15):
            return self.helper("value", self.expr(value))
        if value is None or isinstance(value, (bool, float)):
            return repr(value)
        if isinstance(value, int):
            return self.int_expr(value)
        if isinstance(value, str):
            return self.str_expr(value)
        if isinstance(value, list):
            return self.seq(value, "[", "]")
        if isinstance(value, tuple):
            if len(value) == 1:
                return f"({self.expr(value[0])},)"
            return self.seq(value, "(", ")")
        if isinstance(value, frozenset):
            items = sorted(value, key=repr)
            return self.seq(items, "{", "}") if items else "set()"
        if isinstance(value, dict):
            items = [f"{q(k) if isinstance(k, str) else self.expr(k)}: {self.expr(v)}"
                     for k, v in value.items()]
            return self.wrap(items, "{", "}")
        raise TypeError(f"cannot render {value!r}")

    def int_expr(self, value):
        if value and value % 3600 == 0 and self.chance(0.5):
            hours = value // 3600
            if hours % (24 * 365) == 0:
                factors = ["60", "60", "24", "365"] + ([str(hours // (24 * 365))] if hours > 24 * 365 else [])
            elif hours % 24 == 0:
                factors = ["60", "60", "24", str(hours // 24)]
            else:
                factors = ["60", "60"] + ([str(hours)] if hours > 1 else [])
            return " * ".join(factors)
        if self.chance(0.2):
            return self.helper("number", repr(value))
        return repr(value)

    def str_expr(self, value):
        if len(value) < 4 or not self.chance(0.3):
            return q(value)
        rng = self.rng
        cut = rng.randrange(1, len(value))
        head, tail = value[:cut], value[cut:]
        kind = rng.choice(["concat", "helper", "fstring", "percent", "format"])
        if kind == "helper":
            return self.helper("part", q(head)) + " + " + q(tail)
        if kind == "fstring" and all(c in FSTRING_SAFE for c in tail) and "'" not in tail:
            name = self.helper("prefix", q(head))
            return f'f"{{{name}}}{tail}"'
        if kind == "percent" and "%" not in tail:
            return q("%s" + tail) + " % " + q(head)
        if kind == "format" and "{" not in tail and "}" not in tail:
            return q("{}" + tail) + f".format({q(head)})"
        return q(head) + " + " + q(tail)

    def seq(self, items, open_, close):
        return self.wrap([self.expr(item) for item in items], open_, close)

    def wrap(self, rendered, open_, close):
        one_line = open_ + ", ".join(rendered) + close
        if len(one_line) <= 79 or not rendered:
            return one_line
        inner = "".join("    " + item.replace("\n", "\n    ") + ",\n" for item in rendered)
        return f"{open_}\n{inner}{close}"

    # -- statements -------------------------------------------------------
    def assign(self, name, value):
        """Write `name = value`, possibly through a longer construct."""
        rng = self.rng
        if isinstance(value, list) and len(value) >= 2 and self.chance(0.35):
            self.build_list(name, value)
        elif isinstance(value, tuple) and len(value) >= 2 and self.chance(0.3):
            cut = rng.randrange(1, len(value))
            self.body.append(f"{name} = {self.expr(value[:cut])}")
            self.body.append(f"{name} += {self.expr(value[cut:])}")
        elif isinstance(value, dict) and value and self.chance(0.2):
            self.body.append(f"{name} = {{}}")
            for k, v in value.items():
                self.body.append(f"{name}[{q(k)}] = {self.expr(v)}")
        else:
            self.body.append(f"{name} = {self.expr(value, top=True)}")

    def build_list(self, name, value):
        rng = self.rng
        cut = rng.randrange(1, len(value))
        start, rest = list(value[:cut]), list(value[cut:])
        first_moved = len(start) >= 2 and rng.random() < 0.3
        self.body.append(f"{name} = {self.expr(start[1:] if first_moved else start)}")
        if first_moved:
            self.body.append(f"{name}.insert(0, {self.expr(start[0])})")
        while rest:
            op = rng.choice(["+=", "append", "extend"])
            if op == "append":
                self.body.append(f"{name}.append({self.expr(rest.pop(0))})")
            else:
                k = rng.randrange(1, len(rest) + 1)
                chunk, rest = rest[:k], rest[k:]
                stmt = f"{name} += " if op == "+=" else f"{name}.extend("
                self.body.append(stmt + self.expr(chunk) + (")" if op == "extend" else ""))
        if rng.random() < 0.3:
            decoy = next((s for s in SECURITY_MWS + ["example.org"] if s not in value), "x")
            self.body.insert(len(self.body) - rng.randrange(0, 2), f"{name}.append({q(decoy)})")
            self.body.append(f"{name}.remove({q(decoy)})")

    def text(self, header):
        parts = [f"# {header}\n"]
        if self.imports:
            parts.append("\n" + "\n".join(sorted(self.imports, key=import_order)) + "\n")
        for block in self.blocks:
            parts.append("\n" + block)
        if self.body:
            parts.append("\n" + "\n".join(self.body) + "\n")
        return "".join(parts)


def q(text):
    """repr() of a str, but in double quotes where that needs no escaping."""
    r = repr(text)
    if r.startswith("'") and '"' not in text:
        return '"' + r[1:-1] + '"'
    return r


def import_order(line):
    return (0 if line.startswith("import ") else 1, line)


# --------------------------------------------------------------------------
# Cases and layouts

VIEW_SIGNATURES = {
    "good": 'request, reason=""',
    "request_only": "request",
    "kwargs": "request, **kwargs",
    "positional_reason": "request, reason",
    "star_args": "*args",
    "extra_required": "request, reason, template_name",
    "varargs_kwargs": "*args, **kwargs",
}

LOCAL_MIDDLEWARE = '''\
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware


class LocalSecurityMiddleware(SecurityMiddleware):
    pass


class LocalCsrfMiddleware(CsrfViewMiddleware):
    pass
'''

PACKAGES = ["proj", "config", "mysite", "core"]


class Spec:
    def __init__(self, slug, desc, settings, layout=None, style=None, views=None,
                 middleware=False, urls=False):
        self.slug, self.desc = slug, desc
        self.settings = {k: v for k, v in settings.items() if v is not ABSENT}
        self.layout, self.style = layout, style
        self.views, self.middleware, self.urls = views, middleware, urls


class Handwritten:
    """A case whose files are written out literally (for specific constructs)."""

    def __init__(self, slug, desc, files, module, settings_file):
        self.slug, self.desc = slug, desc
        self.files, self.module, self.settings_file = files, module, settings_file


def render(spec, rng):
    """Return (files, module, settings_file) for a Spec."""
    style = spec.style or ("mixed" if rng.random() < 0.55 else "plain")
    mixed = style == "mixed"
    if spec.layout:
        layout = spec.layout
    elif mixed:
        layout = rng.choices(["flat", "package", "split_star", "split_names", "pkg_init"],
                             weights=[3, 3, 3, 1, 1])[0]
    else:
        layout = rng.choice(["flat", "package"])
    pkg = "" if layout == "flat" else rng.choice(PACKAGES)
    prefix = pkg + "." if pkg else ""
    header = spec.desc
    files = {}

    def extra_files():
        where = pkg + "/" if pkg else ""
        if pkg:
            files.setdefault(f"{pkg}/__init__.py", "")
        if spec.views:
            sig = VIEW_SIGNATURES[spec.views]
            files[where + "views.py"] = (
                f"# {header}\n\n\ndef csrf_failure({sig}):\n    return None\n"
            )
        if spec.middleware:
            files[where + "middleware.py"] = f"# {header}\n\n" + LOCAL_MIDDLEWARE
        if spec.urls:
            files[where + "urls.py"] = f"# {header}\n\nurlpatterns = []\n"

    items = list(spec.settings.items())
    if layout in ("flat", "package"):
        mod = Module(rng, mixed, prefix)
        write_items(mod, items)
        path = f"{pkg}/settings.py" if pkg else "settings.py"
        files[path] = mod.text(header)
        module = f"{pkg}.settings" if pkg else "settings"
        extra_files()
        return files, module, path

    base = Module(rng, mixed, prefix)
    final = Module(rng, mixed, prefix)
    pinned = {k for k, v in items if isinstance(v, Code) or k == "BASE_DIR"}
    base_items, final_items = [], []
    if layout in ("split_star", "pkg_init"):
        final.need_import("from .base import *  # noqa: F401,F403")
        for name, value in items:
            where = "base" if name in pinned else rng.choices(
                ["base", "final", "override", "extend"], weights=[5, 2, 2, 1])[0]
            if where == "extend" and not (isinstance(value, list) and value):
                where = "override"
            if where == "base":
                base_items.append((name, value))
            elif where == "final":
                final_items.append((name, value))
            elif where == "override":
                base_items.append((name, decoy_for(name, value, rng)))
                final_items.append((name, value))
            else:
                cut = rng.randrange(0, len(value))
                base_items.append((name, list(value[:cut])))
                final_items.append((name, ExtendBy(value[cut:])))
        write_items(base, base_items)
        write_items(final, final_items)
    else:  # split_names: prod imports selected names explicitly
        imported = []
        for name, value in items:
            if name in pinned or rng.random() < 0.5:
                imported.append(name)
                base_items.append((name, value))
            else:
                if rng.random() < 0.5:
                    base_items.append((name, decoy_for(name, value, rng)))
                final_items.append((name, value))
        # A value written in base but not imported must not leak into prod.
        leak = [n for n in ("DEBUG", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS")
                if n not in spec.settings]
        if leak:
            name = rng.choice(leak)
            base_items.append((name, {"DEBUG": True, "SECURE_SSL_REDIRECT": True,
                                      "ALLOWED_HOSTS": ["*"]}[name]))
        write_items(base, base_items)
        if imported:
            names = ", ".join(imported)
            line = f"from .base import {names}"
            if len(line) > 79:
                line = "from .base import (\n" + "".join(f"    {n},\n" for n in imported) + ")"
            final.need_import(line)
        write_items(final, final_items)

    if layout == "pkg_init":
        files[f"{pkg}/settings/base.py"] = base.text(header)
        files[f"{pkg}/settings/__init__.py"] = final.text(header)
        module, path = f"{pkg}.settings", f"{pkg}/settings/__init__.py"
    else:
        files[f"{pkg}/base.py"] = base.text(header)
        files[f"{pkg}/prod.py"] = final.text(header)
        module, path = f"{pkg}.prod", f"{pkg}/prod.py"
    extra_files()
    return files, module, path


class ExtendBy:
    """In a split module: add these items to the list inherited from base."""

    def __init__(self, items):
        self.items = list(items)


def write_items(mod, items):
    deferred = []
    for name, value in items:
        if isinstance(value, ExtendBy):
            extend_inherited(mod, name, value.items)
        elif not isinstance(value, Code) and name != "BASE_DIR" and mod.chance(0.1):
            # Written once with a different value, overridden further down.
            mod.assign(name, decoy_for(name, value, mod.rng))
            deferred.append((name, value))
        else:
            mod.assign(name, value)
    for name, value in deferred:
        mod.assign(name, value)


def extend_inherited(mod, name, items):
    rng = mod.rng
    items = list(items)
    if rng.random() < 0.3:
        mod.body.append(f"{name}.insert(0, {mod.expr(items.pop())})")
    while items:
        op = rng.choice(["+=", "append", "extend"])
        if op == "append":
            mod.body.append(f"{name}.append({mod.expr(items.pop(0))})")
        elif op == "extend":
            mod.body.append(f"{name}.extend({mod.expr(items)})")
            items = []
        else:
            mod.body.append(f"{name} += {mod.expr(items)}")
            items = []


DECOYS = {
    "DEBUG": [True, False],
    "SECRET_KEY": ["change-me", GOOD_KEY2],
    "SECRET_KEY_FALLBACKS": [["weak"], []],
    "ALLOWED_HOSTS": [[], ["decoy.example"]],
    "MIDDLEWARE": [[], [SEC, XFO, CSRF, SESS]],
    "INSTALLED_APPS": [[], [SESSIONS]],
    "SECURE_HSTS_SECONDS": [0, 31536000],
    "X_FRAME_OPTIONS": ["SAMEORIGIN", "DENY"],
    "SECURE_REFERRER_POLICY": [None, "same-origin"],
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": ["bogus", "same-origin"],
    "SILENCED_SYSTEM_CHECKS": [[], ["security.W018"]],
    "SECURE_CSP": ["decoy", {}],
    "SECURE_CSP_REPORT_ONLY": ["decoy", {}],
}


def decoy_for(name, value, rng):
    pool = DECOYS.get(name, [True, False, None])
    options = [d for d in pool if not (type(d) is type(value) and d == value)]
    return rng.choice(options or pool)


# --------------------------------------------------------------------------
# The case catalogue

def hardened(**changes):
    """Settings for which Django reports no security.* issue at all."""
    s = {
        "DEBUG": False,
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": ["example.com"],
        "INSTALLED_APPS": [CT, AUTH, SESSIONS, MESSAGES],
        "MIDDLEWARE": [SEC, SESS, COMMON, CSRF, AUTHMW, MSGMW, XFO],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    s.update(changes)
    return s


def startproject_extras():
    """What `django-admin startproject` writes besides the security settings."""
    return {
        "BASE_DIR": Code("Path(__file__).resolve().parent.parent",
                         imports=["from pathlib import Path"]),
        "ROOT_URLCONF": Local("urls"),
        "TEMPLATES": [{
            "BACKEND": DJANGO_TEMPLATES,
            "DIRS": [],
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": [CP_REQUEST, CP_AUTH, CP_MESSAGES]},
        }],
        "DATABASES": Code('{\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n'
                          '        "NAME": BASE_DIR / "db.sqlite3",\n    }\n}'),
        "STATIC_URL": "static/",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
    }


def full_apps():
    return [ADMIN, AUTH, CT, SESSIONS, MESSAGES, STATICFILES]


def base_for(rng, **changes):
    """hardened(), sometimes dressed as a full startproject layout."""
    if rng.random() < 0.3:
        s = startproject_extras()
        s.update(hardened(INSTALLED_APPS=full_apps()))
        s.update(changes)
        return s, True
    return hardened(**changes), False


def vstr(value):
    if value is ABSENT:
        return "absent"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(map(repr, value))) + "}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def vslug(value):
    """A file-name-friendly label that keeps 1, True and "1" apart."""
    def piece(x):
        return slugify(str(x)) or {"": "empty", "*": "star"}.get(x, "x")

    if isinstance(value, str):
        return "str-" + piece(value)
    if isinstance(value, (list, tuple, frozenset)):
        kind = type(value).__name__.replace("frozenset", "set")
        return f"{kind}-" + ("-".join(piece(x) for x in sorted(value, key=repr)) or "empty")
    if isinstance(value, dict):
        return f"dict-{len(value)}-keys" if value else "dict-empty"
    return slugify(vstr(value))


def slugify(text):
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:40]


def targeted(rng):
    """Cases that vary one thing (or one interaction) against a clean base."""
    cases = []

    def add(slug, desc, changes, **kw):
        settings, urls = base_for(rng, **changes)
        cases.append(Spec(slug, desc, settings, urls=urls or kw.pop("urls", False), **kw))

    def add_exact(slug, desc, settings, **kw):
        cases.append(Spec(slug, desc, settings, **kw))

    for v in [True, False, 1, 0, "False", "", None, ABSENT]:
        add(f"debug-{vslug(v)}", f"DEBUG = {vstr(v)}", {"DEBUG": v})
    add_exact("debug-true-only", "only DEBUG = True, everything else default", {"DEBUG": True})
    add_exact("empty-module", "an empty settings module: every setting at its default", {})

    for v in [ABSENT, "", None, "short", KEY49, KEY50, KEY51, FOUR_DISTINCT, FIVE_DISTINCT,
              INSECURE_KEY, INSECURE_KEY_CAPS, NONASCII50, NONASCII49, "django-insecure-",
              " " + GOOD_KEY]:
        label = {KEY49: "49 chars", KEY50: "50 chars", KEY51: "51 chars",
                 FOUR_DISTINCT: "4 distinct chars", FIVE_DISTINCT: "5 distinct chars",
                 INSECURE_KEY: "django-insecure- prefix", INSECURE_KEY_CAPS: "Django-Insecure- prefix",
                 NONASCII50: "50 non-ASCII code points", NONASCII49: "49 non-ASCII code points",
                 " " + GOOD_KEY: "good key with a leading space"}.get(v, vstr(v))
        add(f"secret-key-{slugify(label) or 'empty-str'}", f"SECRET_KEY = {label}", {"SECRET_KEY": v})

    for v in [[], [GOOD_KEY2], ["weak"], [GOOD_KEY2, "", INSECURE_KEY], (GOOD_KEY2,), ("",),
              [FOUR_DISTINCT], ["weak", "weak-too"], [NONASCII50, KEY49]]:
        add(f"fallbacks-{type(v).__name__}-{len(v)}", f"SECRET_KEY_FALLBACKS with {len(v)} entries "
            f"({type(v).__name__})", {"SECRET_KEY_FALLBACKS": v})

    for v in [ABSENT, [], ["*"], [""], ("example.com",), ["example.com", ".example.org"], ()]:
        add(f"allowed-hosts-{vslug(v)}", f"ALLOWED_HOSTS = {vstr(v)}", {"ALLOWED_HOSTS": v})

    # Every subset of the four middleware the checks look for, in random order.
    for mask in range(16):
        chosen = [mw for i, mw in enumerate(SECURITY_MWS) if mask >> i & 1]
        mws = chosen + rng.sample(FILLER_MWS, rng.randrange(0, 4))
        rng.shuffle(mws)
        names = "+".join(mw.rsplit(".", 1)[1].replace("Middleware", "") for mw in chosen) or "none"
        add(f"middleware-{slugify(names)}", f"MIDDLEWARE with {names} (plus filler)",
            {"MIDDLEWARE": mws})
    add("middleware-absent", "MIDDLEWARE not written (default [])", {"MIDDLEWARE": ABSENT})
    add("middleware-tuple", "MIDDLEWARE as a tuple",
        {"MIDDLEWARE": (SEC, SESS, COMMON, CSRF, AUTHMW, MSGMW, XFO)})
    add("middleware-local-security-subclass",
        "a project-local SecurityMiddleware subclass instead of the real one",
        {"MIDDLEWARE": [Local("middleware.LocalSecurityMiddleware"), SESS, CSRF, XFO]},
        middleware=True)
    add("middleware-local-csrf-subclass",
        "a project-local CsrfViewMiddleware subclass instead of the real one",
        {"MIDDLEWARE": [SEC, SESS, Local("middleware.LocalCsrfMiddleware"), XFO]},
        middleware=True)
    add("middleware-wrong-case-security", "SecurityMiddleware spelled in lower case",
        {"MIDDLEWARE": [SEC.lower(), SESS, CSRF, XFO]})
    add("middleware-wrong-case-xframe", "XFrameOptionsMiddleware spelled xFrameOptionsMiddleware",
        {"MIDDLEWARE": [SEC, SESS, CSRF, XFO.replace("XFrame", "xFrame")]})
    add("middleware-classes-only", "legacy MIDDLEWARE_CLASSES only (ignored since Django 2.0)",
        {"MIDDLEWARE": ABSENT, "MIDDLEWARE_CLASSES": [SEC, SESS, CSRF, XFO]})
    add("middleware-classes-and-middleware", "MIDDLEWARE_CLASSES with everything, MIDDLEWARE with nothing",
        {"MIDDLEWARE": [COMMON], "MIDDLEWARE_CLASSES": (SEC, SESS, CSRF, XFO)})
    add("middleware-trailing-space", "SecurityMiddleware with a trailing space",
        {"MIDDLEWARE": [SEC + " ", SESS, CSRF, XFO]})
    add("middleware-duplicates", "SecurityMiddleware listed twice",
        {"MIDDLEWARE": [SEC, SESS, CSRF, SEC, XFO]})

    # Session cookie checks: the app/middleware three-way logic.
    combos = [
        ("app-and-mw", [CT, AUTH, SESSIONS], True),
        ("app-only", [CT, AUTH, SESSIONS], False),
        ("mw-only", [CT, AUTH], True),
        ("appconfig-and-mw", [CT, AUTH, SESSIONS_CONFIG], True),
        ("appconfig-only", [CT, SESSIONS_CONFIG], False),
        ("neither", [CT, AUTH], False),
    ]
    for setting, values in [
        ("SESSION_COOKIE_SECURE", [True, False, 1, 0, "yes", None, ABSENT]),
        ("SESSION_COOKIE_HTTPONLY", [True, False, 1, 0, "yes", None, ABSENT]),
    ]:
        for label, apps, with_mw in combos:
            picked = values if label == "app-and-mw" else rng.sample(values, 4)
            for v in picked:
                mws = [SEC, COMMON, CSRF, XFO] + ([SESS] if with_mw else [])
                rng.shuffle(mws)
                add(f"{slugify(setting)}-{label}-{vslug(v)}",
                    f"{setting} = {vstr(v)}, sessions {label}",
                    {setting: v, "INSTALLED_APPS": apps, "MIDDLEWARE": mws})

    for v in [0, None, 0.0, "", "0", 3600, 31536000, ABSENT]:
        add(f"hsts-{vslug(v)}", f"SECURE_HSTS_SECONDS = {vstr(v)}",
            {"SECURE_HSTS_SECONDS": v})
        add(f"hsts-{vslug(v)}-bare", f"SECURE_HSTS_SECONDS = {vstr(v)}, no subdomains/preload",
            {"SECURE_HSTS_SECONDS": v, "SECURE_HSTS_INCLUDE_SUBDOMAINS": ABSENT,
             "SECURE_HSTS_PRELOAD": ABSENT})
    add("hsts-without-security-mw", "HSTS 3600 without SecurityMiddleware",
        {"SECURE_HSTS_SECONDS": 3600, "SECURE_HSTS_PRELOAD": False,
         "MIDDLEWARE": [SESS, CSRF, XFO]})

    for setting in ["SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
                    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_SSL_REDIRECT"]:
        for v in [True, False, 1, "True", None, ABSENT]:
            add(f"{slugify(setting)}-{vslug(v)}", f"{setting} = {vstr(v)}",
                {setting: v, "SECURE_HSTS_SECONDS": 3600})
    add("secure-flags-without-security-mw", "every SECURE_* flag off, SecurityMiddleware absent",
        {"MIDDLEWARE": [SESS, CSRF, XFO], "SECURE_HSTS_SECONDS": 0, "SECURE_SSL_REDIRECT": False,
         "SECURE_CONTENT_TYPE_NOSNIFF": False, "SECURE_REFERRER_POLICY": None,
         "SECURE_CROSS_ORIGIN_OPENER_POLICY": "bogus"})

    for v in [True, False, 1, 0, "yes", ABSENT]:
        add(f"csrf-cookie-secure-{vslug(v)}", f"CSRF_COOKIE_SECURE = {vstr(v)}",
            {"CSRF_COOKIE_SECURE": v})
    for v in [True, 1, "", False, "yes"]:
        add(f"csrf-use-sessions-{vslug(v)}",
            f"CSRF_USE_SESSIONS = {vstr(v)} with CSRF_COOKIE_SECURE = False",
            {"CSRF_USE_SESSIONS": v, "CSRF_COOKIE_SECURE": False})
    add("csrf-no-mw-insecure-cookie", "CSRF cookie insecure but CsrfViewMiddleware absent",
        {"CSRF_COOKIE_SECURE": False, "MIDDLEWARE": [SEC, SESS, XFO]})
    add("csrf-cookie-1-use-sessions-0", "CSRF_COOKIE_SECURE = 1 and CSRF_USE_SESSIONS = 0",
        {"CSRF_COOKIE_SECURE": 1, "CSRF_USE_SESSIONS": 0})

    for v in ["DENY", "deny", "SAMEORIGIN", " DENY", "DENY ", None, ABSENT]:
        add(f"xfo-{vslug(v)}", f"X_FRAME_OPTIONS = {vstr(v)}", {"X_FRAME_OPTIONS": v})
    add("xfo-sameorigin-no-mw", "X_FRAME_OPTIONS = 'SAMEORIGIN' without XFrameOptionsMiddleware",
        {"X_FRAME_OPTIONS": "SAMEORIGIN", "MIDDLEWARE": [SEC, SESS, CSRF]})

    for v in REFERRER_VALUES + [ABSENT]:
        add(f"referrer-{vslug(v)}", f"SECURE_REFERRER_POLICY = {vstr(v)}",
            {"SECURE_REFERRER_POLICY": v})
    for v in [None, ["bogus"]]:
        add(f"referrer-{vslug(v)}-no-mw",
            f"SECURE_REFERRER_POLICY = {vstr(v)} without SecurityMiddleware",
            {"SECURE_REFERRER_POLICY": v, "MIDDLEWARE": [SESS, CSRF, XFO]})

    for v in COOP_VALUES + [ABSENT]:
        add(f"coop-{vslug(v)}", f"SECURE_CROSS_ORIGIN_OPENER_POLICY = {vstr(v)}",
            {"SECURE_CROSS_ORIGIN_OPENER_POLICY": v})

    noisy = {"DEBUG": True, "SECURE_HSTS_SECONDS": 0, "SECURE_SSL_REDIRECT": False}
    for v in [["security.W004"], ["security.w004"], ["W004"], ("security.W008", "security.W018"),
              "security.W004", "security.W004,security.W018", "security.W0081",
              ["security.W004 "], [], frozenset({"security.W018"}),
              ["security.W004", "security.W008", "security.W018"], ABSENT]:
        add(f"silenced-{vslug(v)}",
            f"SILENCED_SYSTEM_CHECKS = {vstr(v)} (W004, W008, W018 would fire)",
            dict(noisy, SILENCED_SYSTEM_CHECKS=v))
    add("silenced-error-e023", "silencing the E023 error itself",
        {"SECURE_REFERRER_POLICY": "bogus", "SILENCED_SYSTEM_CHECKS": ["security.E023"]})
    add("silenced-string-e02", "SILENCED_SYSTEM_CHECKS = 'security.E02' (a prefix, as a str)",
        {"SECURE_REFERRER_POLICY": "bogus", "SECURE_CROSS_ORIGIN_OPENER_POLICY": "bogus",
         "SILENCED_SYSTEM_CHECKS": "security.E023 security.E024"})

    csp_dict = {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}
    for setting in ["SECURE_CSP", "SECURE_CSP_REPORT_ONLY"]:
        for v in [None, {}, csp_dict, "default-src 'self'", ["default-src"], ("default-src",), ABSENT]:
            add(f"{slugify(setting)}-{vslug(v)}", f"{setting} = {vstr(v)} (E026 from 6.0)",
                {setting: v, "MIDDLEWARE": [SEC, SESS, CSRF, XFO, CSPMW]})
    add("csp-both-invalid", "SECURE_CSP and SECURE_CSP_REPORT_ONLY both not dicts (two E026)",
        {"SECURE_CSP": "default-src 'self'", "SECURE_CSP_REPORT_ONLY": ["x"]})

    # W027 (6.1): CSP middleware + a nonce in a policy + no csp context processor.
    templates = {
        "absent": ABSENT,
        "basic": [{"BACKEND": DJANGO_TEMPLATES, "DIRS": [], "APP_DIRS": True,
                   "OPTIONS": {"context_processors": [CP_REQUEST, CP_AUTH]}}],
        "csp": [{"BACKEND": DJANGO_TEMPLATES, "DIRS": [], "APP_DIRS": True,
                 "OPTIONS": {"context_processors": [CP_REQUEST, CP_CSP]}}],
        "csp-second-engine": [
            {"BACKEND": DJANGO_TEMPLATES, "APP_DIRS": True,
             "OPTIONS": {"context_processors": [CP_REQUEST]}},
            {"NAME": "mail", "BACKEND": DJANGO_TEMPLATES, "DIRS": [],
             "OPTIONS": {"context_processors": (CP_CSP,)}},
        ],
        "no-options": [{"BACKEND": DJANGO_TEMPLATES, "DIRS": [], "APP_DIRS": True}],
        "empty": [],
    }
    nonce_policies = {
        "list-member": ("SECURE_CSP", {"default-src": ["'self'"], "script-src": ["'self'", Nonce()]}),
        "report-only-member": ("SECURE_CSP_REPORT_ONLY", {"script-src": [Nonce(), "'strict-dynamic'"]}),
        "str-substring": ("SECURE_CSP", {"script-src": NonceIn("'self' ")}),
        "whole-value": ("SECURE_CSP", {"style-src": Nonce()}),
        "inside-list-item": ("SECURE_CSP", {"script-src": [NonceIn("'self' ")]}),
        "tuple-member": ("SECURE_CSP", {"script-src": ("'self'", Nonce())}),
        "no-nonce": ("SECURE_CSP", {"script-src": ["'self'"]}),
        "policy-is-list": ("SECURE_CSP", [Nonce()]),
    }
    mws = [SEC, SESS, CSRF, XFO, CSPMW]
    for tname, tvalue in templates.items():
        setting, policy = nonce_policies["list-member"]
        add(f"csp-nonce-list-templates-{tname}", f"CSP middleware, nonce in SECURE_CSP, TEMPLATES {tname}",
            {setting: policy, "MIDDLEWARE": mws, "TEMPLATES": tvalue})
    for pname, (setting, policy) in nonce_policies.items():
        if pname == "list-member":
            continue
        add(f"csp-nonce-{pname}", f"CSP middleware, nonce {pname} in {setting}, TEMPLATES without csp",
            {setting: policy, "MIDDLEWARE": mws, "TEMPLATES": templates["basic"]})
    add("csp-nonce-no-csp-mw", "nonce in SECURE_CSP but no CSP middleware",
        {"SECURE_CSP": nonce_policies["list-member"][1], "MIDDLEWARE": [SEC, SESS, CSRF, XFO]})
    add("csp-nonce-wrong-mw-path", "nonce in SECURE_CSP, CSP middleware under a wrong path",
        {"SECURE_CSP": nonce_policies["list-member"][1],
         "MIDDLEWARE": [SEC, SESS, CSRF, XFO, "django.middleware.csp.CSPMiddleware"]})
    add("csp-nonce-in-both", "nonce in both CSP settings, csp processor present",
        {"SECURE_CSP": {"script-src": [Nonce()]}, "SECURE_CSP_REPORT_ONLY": {"style-src": [Nonce()]},
         "MIDDLEWARE": mws, "TEMPLATES": templates["csp"]})
    for tname in ["absent", "csp"]:
        add(f"csp-direct-import-{tname}",
            f"CSP.NONCE via a plain `from django.utils.csp import CSP` (ImportError before 6.0), "
            f"TEMPLATES {tname}",
            {"SECURE_CSP": {"script-src": ["'self'", Nonce("direct")]}, "MIDDLEWARE": mws,
             "TEMPLATES": templates[tname]})

    view = Local("views.csrf_failure")
    for sig in VIEW_SIGNATURES:
        add(f"csrf-failure-view-{slugify(sig)}", f"CSRF_FAILURE_VIEW = local view with signature "
            f"({VIEW_SIGNATURES[sig]})", {"CSRF_FAILURE_VIEW": view}, views=sig)
    add("csrf-failure-view-default", "CSRF_FAILURE_VIEW written out as its default",
        {"CSRF_FAILURE_VIEW": "django.views.csrf.csrf_failure"})
    add("csrf-failure-view-missing-module", "CSRF_FAILURE_VIEW in a module that does not exist",
        {"CSRF_FAILURE_VIEW": "nosuchpackage.views.csrf_failure"})
    add("csrf-failure-view-missing-function",
        "CSRF_FAILURE_VIEW names a function missing from an existing views.py (Django crashes)",
        {"CSRF_FAILURE_VIEW": Local("views.no_such_view")}, views="good")

    # Values of the wrong type: Django refuses to start or its check crashes.
    add("invalid-allowed-hosts-str", "ALLOWED_HOSTS as a str (Django refuses it)",
        {"ALLOWED_HOSTS": "*"})
    add("invalid-installed-apps-str", "INSTALLED_APPS as a str (Django refuses it)",
        {"INSTALLED_APPS": SESSIONS})
    add("invalid-fallbacks-str", "SECRET_KEY_FALLBACKS as a str (refused from 4.1)",
        {"SECRET_KEY_FALLBACKS": GOOD_KEY2})
    add("invalid-coop-list", "SECURE_CROSS_ORIGIN_OPENER_POLICY as a list (check crashes)",
        {"SECURE_CROSS_ORIGIN_OPENER_POLICY": ["same-origin"]})
    return cases


# Pools for the random mixtures: every value here loads on every version.
POOLS = {
    "DEBUG": [True, False, 1, 0, "False", "", None],
    "SECRET_KEY": [GOOD_KEY, GOOD_KEY2, "", "short", KEY49, KEY50, KEY51, FOUR_DISTINCT,
                   FIVE_DISTINCT, INSECURE_KEY, INSECURE_KEY_CAPS, NONASCII50, NONASCII49],
    "SECRET_KEY_FALLBACKS": [[], [GOOD_KEY2], ["weak"], [GOOD_KEY2, "", INSECURE_KEY], (GOOD_KEY,), ("",)],
    "ALLOWED_HOSTS": [[], ["*"], [""], ("example.com",), ["example.com", ".example.org"]],
    "SECURE_HSTS_SECONDS": [0, None, 0.0, "", "0", 3600, 31536000, 63072000],
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": [True, False, 1, "True", None],
    "SECURE_HSTS_PRELOAD": [True, False, 1, "True", None],
    "SECURE_CONTENT_TYPE_NOSNIFF": [True, False, 1, "True", None],
    "SECURE_SSL_REDIRECT": [True, False, 1, "True", None],
    "SESSION_COOKIE_SECURE": [True, False, 1, 0, "yes", None],
    "SESSION_COOKIE_HTTPONLY": [True, False, 1, 0, "yes", None],
    "CSRF_COOKIE_SECURE": [True, False, 1, 0, "yes"],
    "CSRF_USE_SESSIONS": [True, False, 1, 0, ""],
    "X_FRAME_OPTIONS": ["DENY", "deny", "SAMEORIGIN", " DENY"],
    "SECURE_REFERRER_POLICY": REFERRER_VALUES,
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": COOP_VALUES,
    "SILENCED_SYSTEM_CHECKS": [["security.W004"], ["security.w018"], ["W008"], ("security.W020",),
                               "security.W018", "security.W001security.W003", ["security.E023"],
                               ["security.W009", "security.W025"]],
    "SECURE_CSP": [None, {}, {"default-src": ["'self'"]}, "default-src 'self'", ["default-src"],
                   {"script-src": ["'self'", Nonce()]}, {"script-src": NonceIn("'self' ")}],
    "SECURE_CSP_REPORT_ONLY": [None, {}, {"default-src": ["'none'"]}, "x", [],
                               {"script-src": [Nonce()]}],
}


def random_case(rng, index):
    settings = {}
    if rng.random() < 0.25:
        settings.update(startproject_extras())
    apps = [a for a in [ADMIN, AUTH, CT, rng.choice([SESSIONS, SESSIONS, SESSIONS_CONFIG]),
                        MESSAGES, STATICFILES] if rng.random() < 0.7]
    if ADMIN in apps:  # keep the admin loadable: it needs these three
        apps += [a for a in [AUTH, CT, MESSAGES] if a not in apps]
    if AUTH in apps and CT not in apps:  # auth's models need contenttypes
        apps.append(CT)
    if rng.random() < 0.85:
        settings["INSTALLED_APPS"] = apps
    if rng.random() < 0.9:
        mws = [mw for mw in SECURITY_MWS + FILLER_MWS if rng.random() < 0.7]
        if rng.random() < 0.2:
            mws.append(CSPMW)
        rng.shuffle(mws)
        settings["MIDDLEWARE"] = tuple(mws) if rng.random() < 0.15 else mws
    for name, pool in POOLS.items():
        if rng.random() < 0.45:
            settings[name] = rng.choice(pool)
    views = None
    if rng.random() < 0.1:
        views = rng.choice(list(VIEW_SIGNATURES))
        settings["CSRF_FAILURE_VIEW"] = Local("views.csrf_failure")
    if "TEMPLATES" not in settings and rng.random() < 0.2:
        cps = [CP_REQUEST] + ([CP_CSP] if rng.random() < 0.5 else [])
        settings["TEMPLATES"] = [{"BACKEND": DJANGO_TEMPLATES, "APP_DIRS": True,
                                  "OPTIONS": {"context_processors": cps}}]
    varied = [n for n in settings if n not in startproject_extras()]
    desc = "random mix: " + (", ".join(varied) if varied else "defaults only")
    return Spec(f"random-{index:03d}", desc, settings, views=views, urls="ROOT_URLCONF" in settings)


def handwritten():
    """Cases written out by hand, one Python construct (or trap) each."""
    H = Handwritten
    cases = []

    def one(slug, desc, body, extra=None):
        files = {"settings.py": f"# {desc}\n{body}"}
        files.update(extra or {})
        cases.append(H(slug, desc, files, "settings", "settings.py"))

    def split(slug, desc, base, prod, extra=None, prod_name="prod"):
        files = {"proj/__init__.py": "", "proj/base.py": f"# {desc}\n{base}",
                 f"proj/{prod_name}.py": f"# {desc}\n{prod}"}
        files.update(extra or {})
        cases.append(H(slug, desc, files, f"proj.{prod_name}", f"proj/{prod_name}.py"))

    strong = q(GOOD_KEY)
    one("names-and-helpers", "values reached through earlier names, upper and lower case", f'''
_HSTS = 3600
one_year = 60 * 60 * 24 * 365
secure = True
SECRET_KEY = {strong}
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_HSTS_SECONDS = _HSTS
SECURE_HSTS_SECONDS = one_year
SECURE_HSTS_INCLUDE_SUBDOMAINS = secure
SECURE_HSTS_PRELOAD = not secure
SECURE_SSL_REDIRECT = secure
''')
    one("string-building-middleware", "middleware paths built by concatenation, f-string, % and .format", f'''
_MW = "django.middleware."
contrib = "django.contrib"
SECRET_KEY = {strong}
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = [
    _MW + "security.SecurityMiddleware",
    f"{{_MW}}csrf.CsrfViewMiddleware",
    "%sclickjacking.XFrameOptionsMiddleware" % _MW,
    "{{}}.sessions.middleware.SessionMiddleware".format(contrib),
]
INSTALLED_APPS = [contrib + ".sessions"]
SECURE_HSTS_SECONDS = 60
SECURE_SSL_REDIRECT = True
''')
    one("string-building-near-miss", "a concatenation that misses a dot, so SecurityMiddleware is absent", f'''
_MW = "django.middleware"
SECRET_KEY = {strong}
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = [_MW + "security.SecurityMiddleware", _MW + ".csrf.CsrfViewMiddleware"]
''')
    one("secret-key-fstring-insecure", "SECRET_KEY assembled by an f-string into an insecure key", f'''
_prefix = "django-insecure"
_body = {q(key(60, 2))}
SECRET_KEY = f"{{_prefix}}-{{_body}}"
ALLOWED_HOSTS = ["*"]
''')
    one("secret-key-percent-49", "SECRET_KEY of 49 characters produced by % formatting", f'''
SECRET_KEY = "%s%s" % ({q(key(20, 1))}, {q(key(29, 9))})
ALLOWED_HOSTS = ["*"]
''')
    one("secret-key-format-50", "SECRET_KEY of exactly 50 characters produced by .format", f'''
SECRET_KEY = "{{}}-{{}}".format({q(key(24, 1))}, {q(key(25, 9))})
ALLOWED_HOSTS = ["*"]
''')
    one("secret-key-repeat", "SECRET_KEY = 'x' * 64 (extra construct: str repetition; one distinct char)", '''
SECRET_KEY = "x" * 64
ALLOWED_HOSTS = ["*"]
''')
    one("list-methods", "MIDDLEWARE built with append, extend, insert, remove and +=", f'''
SECRET_KEY = {strong}
ALLOWED_HOSTS = []
ALLOWED_HOSTS.extend(["example.com"])
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
MIDDLEWARE.append("django.middleware.csrf.CsrfViewMiddleware")
MIDDLEWARE.extend(["django.middleware.clickjacking.XFrameOptionsMiddleware"])
MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")
MIDDLEWARE += ["django.contrib.sessions.middleware.SessionMiddleware"]
MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")
INSTALLED_APPS = ["django.contrib.sessions"]
''')
    one("tuple-plus-equals", "MIDDLEWARE and INSTALLED_APPS as tuples grown with +=", f'''
SECRET_KEY = {strong}
ALLOWED_HOSTS = ("example.com",)
MIDDLEWARE = ("django.middleware.security.SecurityMiddleware",)
MIDDLEWARE += ("django.contrib.sessions.middleware.SessionMiddleware",)
INSTALLED_APPS = ()
INSTALLED_APPS += ("django.contrib.sessions",)
SESSION_COOKIE_SECURE = 1
''')
    one("override-later-wins", "settings assigned twice; the later assignment wins", f'''
SECRET_KEY = "short"
SECRET_KEY = {strong}
DEBUG = True
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_SSL_REDIRECT = False
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 3600
SECURE_HSTS_SECONDS = 0
DEBUG = False
''')
    one("pathlib-and-os-path", "BASE_DIR via pathlib, paths via os.path.join and the / operator", f'''
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = {strong}
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
STATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")
MEDIA_ROOT = BASE_DIR / "media"
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BASE_DIR, "db.sqlite3"),
    }}
}}
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "DIRS": [BASE_DIR / "templates"], "APP_DIRS": False}}]
MIDDLEWARE = ["django.middleware.clickjacking.XFrameOptionsMiddleware"]
X_FRAME_OPTIONS = "SAME" + "ORIGIN"
''')
    one("set-and-dict-displays", "a set display for the referrer policy, a dict for SECURE_CSP", f'''
SECRET_KEY = {strong}
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_HSTS_SECONDS = 1
SECURE_REFERRER_POLICY = {{"same-origin", "strict-origin", "no-referrer"}}
SECURE_CSP = {{"default-src": ["'self'"], "frame-ancestors": ["'none'"]}}
SECURE_CSP_REPORT_ONLY = {{"default-src": "'self'"}}
''')
    one("silenced-built", "SILENCED_SYSTEM_CHECKS entries built by concatenation and f-string", f'''
_w = "W004"
SECRET_KEY = {strong}
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SILENCED_SYSTEM_CHECKS = ["security." + "W020", f"security.{{_w}}"]
''')
    one("chained-assignment", "chained and tuple assignment (extra construct)", f'''
SECRET_KEY = {strong}
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware",
              "django.contrib.sessions.middleware.SessionMiddleware"]
INSTALLED_APPS = ["django.contrib.sessions"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY, CSRF_USE_SESSIONS = False, False
''')
    one("annotated-assignment", "annotated assignments such as `DEBUG: bool = True` (extra construct)", f'''
SECRET_KEY: str = {strong}
DEBUG: bool = True
ALLOWED_HOSTS: list[str] = []
''')
    one("if-on-known-bool", "settings inside `if DEBUG:` / `else:` on a known value (extra construct)", f'''
DEBUG = False
SECRET_KEY = {strong}
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
if DEBUG:
    ALLOWED_HOSTS = ["*"]
    SECURE_SSL_REDIRECT = False
else:
    ALLOWED_HOSTS = ["example.com"]
    SECURE_SSL_REDIRECT = True
if not DEBUG:
    SECURE_HSTS_SECONDS = 3600
''')
    one("templates-append-csp-processor",
        "csp context processor appended through subscripts (extra construct), nonce in SECURE_CSP", f'''
try:
    from django.utils.csp import CSP

    _NONCE = CSP.NONCE
except ImportError:  # Django < 6.0 has no CSP support
    _NONCE = {q(NONCE_SENTINEL)}

SECRET_KEY = {strong}
MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
SECURE_CSP = {{"script-src": ["'self'", _NONCE]}}
TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {{"context_processors": ["django.template.context_processors.request"]}},
    }}
]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
''')
    split("split-star-overrides", "prod star-imports base and overrides DEBUG and MIDDLEWARE", f'''
DEBUG = True
SECRET_KEY = {strong}
ALLOWED_HOSTS = []
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
INSTALLED_APPS = ["django.contrib.sessions"]
''', '''from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 3600
''')
    split("split-star-extends-base", "prod star-imports base and extends its lists with +=", f'''
SECRET_KEY = {strong}
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
''', '''from .base import *  # noqa: F401,F403

MIDDLEWARE += ["django.contrib.sessions.middleware.SessionMiddleware"]
INSTALLED_APPS += ["django.contrib.sessions"]
SESSION_COOKIE_HTTPONLY = 0
''')
    split("split-named-imports", "prod imports only some names; base's DEBUG = True must not leak", f'''
DEBUG = True
SECRET_KEY = {strong}
ALLOWED_HOSTS = []
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_SSL_REDIRECT = True
''', '''from .base import MIDDLEWARE, SECRET_KEY

ALLOWED_HOSTS = ["example.com"]
''')
    split("split-star-underscore", "a _private base name is not star-imported; prod imports it by name", f'''
_HSTS = 3600
SECRET_KEY = {strong}
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_HSTS_SECONDS = 0
''', '''from .base import *  # noqa: F401,F403
from .base import _HSTS

SECURE_HSTS_SECONDS = _HSTS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
''')
    split("split-star-lowercase-helper", "a lowercase helper in base is star-imported and used in prod", f'''
one_year = 31536000
SECRET_KEY = {strong}
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
''', '''from .base import *  # noqa: F401,F403

SECURE_HSTS_SECONDS = one_year
SECURE_HSTS_PRELOAD = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = "True"
''')
    files = {
        "proj/__init__.py": "",
        "proj/settings/base.py": f'''# settings package: __init__ star-imports base, then production
SECRET_KEY = {strong}
DEBUG = True
ALLOWED_HOSTS = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
X_FRAME_OPTIONS = "SAMEORIGIN"
''',
        "proj/settings/production.py": '''# settings package: __init__ star-imports base, then production
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
X_FRAME_OPTIONS = "DENY"
''',
        "proj/settings/__init__.py": '''# settings package: __init__ star-imports base, then production
from .base import *  # noqa: F401,F403
from .production import *  # noqa: F401,F403
''',
    }
    cases.append(H("settings-package-chain", "settings package: __init__ star-imports base, then production",
                   files, "proj.settings", "proj/settings/__init__.py"))
    return cases


def build(count=DEFAULT_CASES):
    """All case objects in a stable order, `count` of them."""
    rng = random.Random(SEED)
    cases = targeted(rng) + handwritten()
    index = 0
    while len(cases) < count:
        index += 1
        cases.append(random_case(random.Random(f"{SEED}:random:{index}"), index))
    return cases[:count]


def write(out_dir, count=DEFAULT_CASES):
    """Write the cases and the manifest into out_dir (emptied first)."""
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        if not os.path.exists(os.path.join(out_dir, MANIFEST)):
            raise SystemExit(f"refusing to empty {out_dir}: it does not hold generated cases")
        shutil.rmtree(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for number, case in enumerate(build(count), 1):
        name = f"{number:03d}-{case.slug}"
        if isinstance(case, Handwritten):
            files, module, settings_file = case.files, case.module, case.settings_file
        else:
            files, module, settings_file = render(case, random.Random(f"{SEED}:{name}"))
        for rel, text in files.items():
            path = os.path.join(out_dir, name, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        manifest.append({"name": name, "dir": name, "module": module,
                         "settings": settings_file, "description": case.desc})
    with open(os.path.join(out_dir, MANIFEST), "w", encoding="utf-8") as fh:
        json.dump({"seed": SEED, "cases": manifest}, fh, indent=1)
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    args = parser.parse_args()
    manifest = write(args.out_dir, args.cases)
    print(f"wrote {len(manifest)} cases to {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
