# DEBUG = 0

DEBUG = 0
ALLOWED_HOSTS = ["example.com"]
prefix = "django.contrib"
INSTALLED_APPS = [f"{prefix}.auth", "django.contrib.sessions"]
INSTALLED_APPS.insert(0, "django.contrib.contenttypes")
INSTALLED_APPS.append("django.contrib.messages")
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "%sssionMiddleware" % "django.contrib.sessions.middleware.Se",
    "{}ware".format("django.middleware.common.CommonMiddle"),
    "%siddleware.csrf.CsrfViewMiddleware" % "django.m",
    "{}dleware.AuthenticationMiddleware".format("django.contrib.auth.mid"),
    "django.con" + "trib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = None
SECURE_SSL_REDIRECT = True
