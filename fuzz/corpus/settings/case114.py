# MIDDLEWARE with Security+CsrfView+Session (plus filler)

DEBUG = True
SECRET_KEY = "change-me"
SECURE_HSTS_INCLUDE_SUBDOMAINS = None
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
_value = False
SESSION_COOKIE_SECURE = _value
value = True
CSRF_COOKIE_SECURE = value
