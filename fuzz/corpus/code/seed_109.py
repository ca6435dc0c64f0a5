# DJG105 pass: redirects to constant paths/URLs; the request only decides which constant.
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect

LOGIN_URL = "/accounts/login/"
DOCS_URL = "https://docs.example.com/"


def old_login(request):
    return HttpResponsePermanentRedirect(LOGIN_URL)


def help_page(request):
    if request.GET.get("section") == "api":
        return HttpResponseRedirect(DOCS_URL + "api/")
    return HttpResponseRedirect(DOCS_URL)
