# DJG105 pass: the ?next= URL is validated with url_has_allowed_host_and_scheme() before redirecting.
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def logout_view(request):
    logout(request)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return redirect(next_url)


def cancel(request):
    back = request.POST.get("back", "/")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)
    return HttpResponseRedirect("/")
