# DEBUG = ''

DEBUG = ""
part = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frC"
_VALUE = part + "P2$bnyKW9=iuFS5*"
SECRET_KEY = _VALUE
ALLOWED_HOSTS = ["example.com"]
prefix = "django.c"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    f"{prefix}ontrib.auth",
    "django.contrib.sessions",
]
INSTALLED_APPS.append("django.contrib.messages")
_prefix = "django.con"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    f"{_prefix}trib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
_seconds = 31536000
SECURE_HSTS_SECONDS = _seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
