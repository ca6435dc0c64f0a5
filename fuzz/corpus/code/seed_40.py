# DJG102 pass: format_html() with a literal format string and request data passed as arguments (escaped).
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import format_html


def greeting(request):
    name = request.GET.get("name", "guest")
    html = format_html("<h1>Welcome back, {}!</h1>", name)
    return render(request, "blog/home.html", {"greeting": html})


def author_card(request, username):
    bio = request.GET.get("bio", "")
    return HttpResponse(format_html('<div class="author"><b>{}</b><p>{}</p></div>', username, bio))
