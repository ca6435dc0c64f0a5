# DJG105 fire: the ?next= parameter goes straight into redirect() in a function view.
from django.contrib.auth import logout
from django.shortcuts import redirect


def logout_view(request):
    logout(request)
    return redirect(request.GET.get("next", "/"))
