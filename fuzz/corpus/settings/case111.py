# MIDDLEWARE with Security+XFrameOptions+Session (plus filler)

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*eqBNZ#a"
_PART = "exampl"
ALLOWED_HOSTS.insert(0, _PART + "e.com")
SECURE_HSTS_INCLUDE_SUBDOMAINS = None
SECURE_HSTS_PRELOAD = True
_VALUE = True
CSRF_COOKIE_SECURE = _VALUE
SECRET_KEY = "amxJV8_htER4" + "&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
_value = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = _value
