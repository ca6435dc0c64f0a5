# MIDDLEWARE with Session (plus filler)

DEBUG = False
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
_PART = "ex"
ALLOWED_HOSTS = [_PART + "ample.com"]
_prefix = "django.cont"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    f"{_prefix}rib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddlewar" + "e"]
MIDDLEWARE.append("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE += ["django.contrib.sessions.middleware.SessionMiddleware"]
MIDDLEWARE.append("django.middleware.security.SecurityMiddleware")
MIDDLEWARE += ["{}messages.middleware.MessageMiddleware".format("django.contrib.")]
MIDDLEWARE.remove("django.middleware.security.SecurityMiddleware")
_SECONDS = 31536000
SECURE_HSTS_SECONDS = _SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = None
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
_value = True
CSRF_COOKIE_SECURE = _value
_value2 = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = _value2
