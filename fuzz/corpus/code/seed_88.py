# DJG104 fire: a @require_GET view that calls django.contrib.auth.logout().
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.views.decorators.http import require_GET


@require_GET
def sign_out(request):
    logout(request)
    return redirect("home")
