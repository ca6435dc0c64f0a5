from django.urls import path, re_path

from . import views

urlpatterns = [
    path("product/<int:pk>/<slug:slug>/", views.detail),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.Archive.as_view()),
]
