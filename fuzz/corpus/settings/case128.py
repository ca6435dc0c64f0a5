# a project-local CsrfViewMiddleware subclass instead of the real one

DEBUG = True
SECRET_KEY = "change-me"
ALLOWED_HOSTS = ["decoy.example"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
MIDDLEWARE.extend([
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocalCsrfMiddleware",
])
MIDDLEWARE.extend(["django.middleware.clickjacking.XFrameOptionsMiddleware"])
seconds = 0
SECURE_HSTS_SECONDS = seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = True
_value = "dpAMY@)kwHU7-gsDQ3" + "^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*eqBNZ#a"
SECRET_KEY = _value
