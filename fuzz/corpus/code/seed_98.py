# DJG105 pass: redirect() to a URL pattern name; request data only fills the pattern's kwargs.
from django.contrib.auth import logout
from django.shortcuts import redirect


def logout_view(request):
    logout(request)
    return redirect("home")


def profile_shortcut(request, username):
    return redirect("accounts:profile", username=username)
