# SecurityMiddleware spelled in lower case

DEBUG = False
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contri" + "b.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.securitymiddleware",
    "%sdleware.SessionMiddleware" % "django.contrib.sessions.mid",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = None
