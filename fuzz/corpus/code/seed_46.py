# DJG102 pass: mark_safe() wraps the result of format_html(), which already escaped the request data.
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def profile(request, username):
    title = request.GET.get("title", "Member")
    badge = mark_safe(format_html('<span class="badge">{}</span> {}', title, username))
    return render(request, "blog/profile.html", {"badge": badge})
