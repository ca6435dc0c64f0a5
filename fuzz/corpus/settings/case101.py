# MIDDLEWARE with XFrameOptions+CsrfView (plus filler)

DEBUG = False
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
ALLOWED_HOSTS = ["example.com"]
part = "django.contrib.message"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    part + "s",
]
MIDDLEWARE = [
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.mes" + "sages.middleware.MessageMiddleware",
    "django.middleware.common.CommonMiddleware",
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
