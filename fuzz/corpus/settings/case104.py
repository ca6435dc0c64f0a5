# MIDDLEWARE with Security+XFrameOptions+CsrfView (plus filler)

from .base import (
    SECRET_KEY,
    ALLOWED_HOSTS,
    INSTALLED_APPS,
    SECURE_HSTS_SECONDS,
    SECURE_HSTS_PRELOAD,
    SECURE_SSL_REDIRECT,
)

DEBUG = False
_prefix = "d"
MIDDLEWARE = [
    f"{_prefix}jango.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
