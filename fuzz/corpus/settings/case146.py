# SESSION_COOKIE_SECURE = 1, sessions app-and-mw

SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.security.SecurityMiddleware",
]
MIDDLEWARE.insert(0, "django.contrib.sessi" + "ons.middleware.SessionMiddleware")
MIDDLEWARE.extend(["django.middleware.common.CommonMiddleware"])
seconds = 31536000
value = seconds
SECURE_HSTS_SECONDS = value
SECURE_HSTS_INCLUDE_SUBDOMAINS = None
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = 1
CSRF_COOKIE_SECURE = False
INSTALLED_APPS = []
CSRF_COOKIE_SECURE = True
