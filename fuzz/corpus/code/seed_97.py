# DJG105 fire: request data reaches HttpResponseRedirect/redirect through locals, f-string/%/.format/+/join and a dict.
from django.contrib.auth import authenticate, login
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect, render


def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is not None:
            login(request, user)
            target = request.POST.get("next", "/")
            return HttpResponseRedirect(f"{target}?welcome=1")
    return render(request, "accounts/login.html")


def language_switch(request):
    options = {"back": request.META.get("HTTP_REFERER", "/"), "lang": request.GET.get("lang", "en")}
    url = "%s?lang=%s" % (options["back"], options["lang"])
    return redirect(url)


def legacy(request):
    parts = [request.GET.get("host", "example.com"), request.GET.get("page", "")]
    url = "https://{}".format("/".join(parts))
    url += "#moved"
    return HttpResponsePermanentRedirect(url)
