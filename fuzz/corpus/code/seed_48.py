# DJG102 fire: format_html() given a string that was already formatted with request data, so nothing is escaped.
from django.shortcuts import render
from django.utils.html import format_html


def welcome(request):
    name = request.GET.get("name", "")
    message = format_html(f"<p>Hello <strong>{name}</strong></p>")
    return render(request, "blog/welcome.html", {"message": message})
