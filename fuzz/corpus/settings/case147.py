# SESSION_COOKIE_SECURE = 1, sessions app-and-mw

from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.auth"]
INSTALLED_APPS.insert(0, "django.contrib.contenttypes")
INSTALLED_APPS.extend(["django.contrib.sessions"])
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = None
SECURE_SSL_REDIRECT = True
