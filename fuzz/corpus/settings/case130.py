# a project-local CsrfViewMiddleware subclass instead of the real one

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*eqBNZ#a"
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = [
    "django.contrib." + "contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = True
value = True
SECURE_SSL_REDIRECT = value
_VALUE = True
SESSION_COOKIE_SECURE = _VALUE
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
