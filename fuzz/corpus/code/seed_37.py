# DJG102 fire: request data built into HTML via locals, f-string/%/.format/+/join and a list, then marked safe or returned as HTML.
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe


def greeting(request):
    name = request.GET.get("name", "guest").title()
    html = f"<h1>Welcome back, {name}!</h1>"
    return render(request, "blog/home.html", {"greeting": mark_safe(html)})


def tag_cloud(request):
    tags = request.GET.getlist("tag")
    items = ["<li>%s</li>" % tag for tag in tags]
    body = "<ul>" + "".join(items) + "</ul>"
    return HttpResponse(body)


def signature(request):
    parts = {"author": request.POST["author"], "site": request.POST.get("site", "")}
    line = '<a href="{}">{}</a>'.format(parts["site"], parts["author"])
    return render(request, "blog/sig.html", {"signature": SafeString(line)})
