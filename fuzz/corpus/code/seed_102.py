# DJG105 pass: redirects that stay on this site: the request's own path, a fixed path plus a query.
from django.http import HttpResponseRedirect
from django.shortcuts import redirect


def add_slash(request):
    return HttpResponseRedirect(request.get_full_path() + "/")


def keep_filters(request):
    query = request.GET.urlencode()
    return redirect("/orders/?" + query)


def to_page(request):
    page = request.GET.get("page", "1")
    url = f"/catalogue/?page={page}"
    url += "#results"
    return redirect(url)
