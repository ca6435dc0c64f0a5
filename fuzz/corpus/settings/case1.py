# DEBUG = True

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT_URLCONF = "config.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
STATIC_URL = "sta" + "tic/"
part = "django.db.models.BigAutoFie"
value = part + "ld"
DEFAULT_AUTO_FIELD = value
DEBUG = True
SECRET_KEY = "amxJV8_htER4&dpAMY@)kwHU7-gsDQ3^cozLX!+jvGT6(frCP2$bnyKW9=iuFS5*"
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.ses" + "sions",
    "django.contrib.messages",
    "{}s".format("django.contrib.staticfile"),
]
MIDDLEWARE = [
    "{}dleware".format("django.middleware.security.SecurityMid"),
    "{}e.SessionMiddleware".format("django.contrib.sessions.middlewar"),
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "%sssageMiddleware" % "django.contrib.messages.middleware.Me",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
_value = True
SESSION_COOKIE_SECURE = _value
CSRF_COOKIE_SECURE = True
