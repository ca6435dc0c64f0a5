"""Local development settings (the default of manage.py).

Debug mode and a throw-away key are fine here: this module never runs on a
server. It is not meant to pass `check --deploy`.
"""
from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = "dev-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
