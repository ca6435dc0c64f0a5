# MIDDLEWARE with Security+XFrameOptions+CsrfView (plus filler)

_value = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
SECRET_KEY = _value
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = []
MIDDLEWARE = []
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = None
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
INSTALLED_APPS = [
    "{}b.contenttypes".format("django.contri"),
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
