# SecurityMiddleware spelled in lower case

from .base import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = True
