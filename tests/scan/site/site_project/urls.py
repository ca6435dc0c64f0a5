from django.conf import settings
from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("preferences/", views.preferences, name="preferences"),
    path("healthz/", views.healthz, name="healthz"),
]

_admin_path = settings.ADMIN_PATH.strip()
if _admin_path.lower() not in {"off", "none", "-"}:
    if _admin_path and not _admin_path.endswith("/"):
        _admin_path += "/"
    urlpatterns.append(path(_admin_path, admin.site.urls))
