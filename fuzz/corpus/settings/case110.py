# MIDDLEWARE with Security+XFrameOptions+Session (plus filler)

ALLOWED_HOSTS = ["decoy.example"]
INSTALLED_APPS = ["django.contrib.contenttypes"]
INSTALLED_APPS += ["django.contrib.auth", "django.contrib.sessions"]
INSTALLED_APPS.extend(["django.contrib.messages"])
_part = "django.contrib.sessions.middleware.SessionMid"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickja" + "cking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    _part + "dleware",
]
_value = 60 * 60 * 24 * 365
SECURE_HSTS_SECONDS = _value
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = None
_value2 = True
SECURE_SSL_REDIRECT = _value2
SESSION_COOKIE_SECURE = True
ALLOWED_HOSTS = []
MIDDLEWARE = [
    "{}jango.contrib.messages.middleware.MessageMiddleware".format("d"),
    "{}re.common.CommonMiddleware".format("django.middlewa"),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
