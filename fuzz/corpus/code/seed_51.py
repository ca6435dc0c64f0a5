# DJG102 fire: the view passes request data to blog/html.py:render_badge(), which marks an f-string containing it safe.
from django.shortcuts import render

from .html import render_badge


def profile(request, username):
    badge = render_badge(request.GET.get("title", "Member"))
    return render(request, "blog/profile.html", {"username": username, "badge": badge})
