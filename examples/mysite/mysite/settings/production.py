"""Production settings for mysite -- DELIBERATELY INSECURE.

This module is a test fixture for djguard. Every "MISTAKE" comment marks a
planted problem; the Django check ID it triggers (if any) is given in
brackets. Do not use any of this as a template for a real deployment.
"""
import os

from .base import *  # noqa: F401,F403

# MISTAKE: hard-coded key, and the one startproject generated at that
# (the "django-insecure-" prefix).                                   [W009]
SECRET_KEY = "django-insecure-q7#v!m2k@x9w$e4r^t8y&u1i*o5p(a3s)d6f_g0h+j-kl=zb"

# MISTAKE: the key it replaced is still accepted for old sessions and
# signatures, and it is weak.                                        [W025]
SECRET_KEY_FALLBACKS = ["changeme-please"]

# MISTAKE: the environment is read as a string; the default "False" is a
# non-empty string, so DEBUG is truthy on every server.              [W018]
DEBUG = os.environ.get("DJANGO_DEBUG", "False")

# MISTAKE: any Host header is accepted (Django has no check for this).
ALLOWED_HOSTS = ["*"]

# SecurityMiddleware must come first; production adds it to the shared list,
# together with two extras. The base list is mutated in place here.
MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")  # noqa: F405
MIDDLEWARE += ["django.middleware.http.ConditionalGetMiddleware"]  # noqa: F405
MIDDLEWARE.append("django.middleware.gzip.GZipMiddleware")  # noqa: F405

# MISTAKE: typo -- the setting is SECURE_HSTS_SECONDS. Django silently
# ignores unknown names, so no HSTS header is sent.                  [W004]
SECURE_HSTS_SECOND = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# MISTAKE: a string, not the boolean True; Django requires `is True`. [W008]
SECURE_SSL_REDIRECT = "True"

# MISTAKE: `1` is not `True`; since Django 4.1 the check wants the boolean.
#                                                                    [W012]
SESSION_COOKIE_SECURE = 1

# MISTAKE: CSRF_COOKIE_SECURE is never set (default False).          [W016]

# MISTAKE: the site is frameable by same-origin pages; DENY expected. [W019]
X_FRAME_OPTIONS = "SAMEORIGIN"

# MISTAKE: the trailing comma leaves an empty token, which is not a valid
# policy, so Django reports an error (and check --deploy exits 1).   [E023]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin,"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",  # noqa: F405
        "CONN_MAX_AGE": 60,
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
