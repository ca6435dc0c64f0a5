"""Settings for the djguard `scan` test site.

Every knob a live scanner can observe is read from a ``SCAN_*`` environment
variable so that tests/scan/sites.py can start the same code in many
configurations.  Unset variables give the behaviour of a fresh
``django-admin startproject`` (Django 5.2) with DEBUG off.
"""
import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _env(name, default=""):
    return os.environ.get(name, default)


def _flag(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default=0):
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


SECRET_KEY = _env(
    "SCAN_SECRET_KEY", "djguard-scan-test-site-not-secret-0123456789abcdefghijklmnop"
)
DEBUG = _flag("SCAN_DEBUG", False)

# "*" is passed through literally, so SCAN_ALLOWED_HOSTS="*" gives ['*'].
ALLOWED_HOSTS = _list("SCAN_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

# Where the URLconf mounts the admin.  "off" removes it altogether.
ADMIN_PATH = _env("SCAN_ADMIN_PATH", "admin/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "site_project",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "site_project.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if not _flag("SCAN_SECURITY_MIDDLEWARE", True):
    MIDDLEWARE.remove("django.middleware.security.SecurityMiddleware")
if _env("SCAN_X_FRAME_OPTIONS", "DENY").strip().lower() in {"", "off", "none"}:
    MIDDLEWARE.remove("django.middleware.clickjacking.XFrameOptionsMiddleware")
    X_FRAME_OPTIONS = "DENY"
else:
    X_FRAME_OPTIONS = _env("SCAN_X_FRAME_OPTIONS", "DENY").strip().upper()

ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site_project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in a throw-away directory chosen by the harness.
DATA_DIR = Path(_env("SCAN_DATA_DIR") or tempfile.gettempdir())
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# No static files are served; admin pages still render (their CSS 404s).
STATIC_URL = "static/"

# --- cookies -----------------------------------------------------------------
SESSION_COOKIE_NAME = _env("SCAN_SESSION_COOKIE_NAME", "sessionid")
CSRF_COOKIE_NAME = _env("SCAN_CSRF_COOKIE_NAME", "csrftoken")
SESSION_COOKIE_SECURE = _flag("SCAN_SESSION_COOKIE_SECURE", _flag("SCAN_SECURE_COOKIES"))
CSRF_COOKIE_SECURE = _flag("SCAN_CSRF_COOKIE_SECURE", _flag("SCAN_SECURE_COOKIES"))
SESSION_COOKIE_HTTPONLY = _flag("SCAN_SESSION_COOKIE_HTTPONLY", True)
CSRF_COOKIE_HTTPONLY = _flag("SCAN_CSRF_COOKIE_HTTPONLY", False)
_samesite = _env("SCAN_COOKIE_SAMESITE", "Lax").strip()
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = (
    False if _samesite.lower() in {"", "off", "false"} else _samesite
)
# Flags for the extra cookie set by /preferences/ (see views.py).
SCAN_CUSTOM_COOKIE_SECURE = _flag("SCAN_SECURE_COOKIES")

# --- HTTPS / SecurityMiddleware ---------------------------------------------
SECURE_HSTS_SECONDS = _int("SCAN_HSTS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SCAN_HSTS_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("SCAN_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = _flag("SCAN_SSL_REDIRECT")
if _flag("SCAN_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = _flag("SCAN_NOSNIFF", True)
SECURE_REFERRER_POLICY = _env("SCAN_REFERRER_POLICY", "same-origin") or None
SECURE_CROSS_ORIGIN_OPENER_POLICY = _env("SCAN_COOP", "same-origin") or None

# --- Content-Security-Policy (Django 5.2 has no built-in CSP) ----------------
# The policy string is sent verbatim by site_project.middleware.
SCAN_CSP = _env("SCAN_CSP").strip()
SCAN_CSP_REPORT_ONLY = _flag("SCAN_CSP_REPORT_ONLY")

# Page content switches.
SCAN_EXTERNAL_SCRIPT = _flag("SCAN_EXTERNAL_SCRIPT")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
