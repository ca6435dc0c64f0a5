# DEBUG = 'False'

DEBUG = "False"
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.m" + "essages.middleware.MessageMiddleware",
]
MIDDLEWARE.append("django.middleware.clickjacking.XFrameOptionsMiddleware")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
_VALUE = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = _VALUE
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = None
_VALUE2 = True
SESSION_COOKIE_SECURE = _VALUE2
_VALUE3 = True
CSRF_COOKIE_SECURE = _VALUE3
INSTALLED_APPS = [
    "%scontrib.contenttypes" % "django.",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
SECURE_SSL_REDIRECT = True
