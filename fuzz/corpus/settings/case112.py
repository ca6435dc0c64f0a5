# MIDDLEWARE with CsrfView+Session (plus filler)

DEBUG = False
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iu" + "FS5*"
ALLOWED_HOSTS = ["example.com"]
_part = "django.c"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    _part + "ontrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
_prefix = "django.mi"
MIDDLEWARE = [
    "%sleware.SessionMiddleware" % "django.contrib.sessions.midd",
    "django.middleware.csrf.CsrfViewMiddleware",
    f"{_prefix}ddleware.common.CommonMiddleware",
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
