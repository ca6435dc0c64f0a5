# DJG105 pass: the next URL is validated in a helper (or in the condition) before redirecting.
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from .utils import next_url


def finish(request):
    return redirect(next_url(request))


class Done(View):
    def post(self, request):
        if "next" in self.request.GET and url_has_allowed_host_and_scheme(self.request.GET.get("next"), allowed_hosts=None):
            return redirect(self.request.GET.get("next"))
        return redirect("home")
