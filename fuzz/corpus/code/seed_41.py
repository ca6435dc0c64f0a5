# DJG102 pass: escape() output concatenated with literal HTML, then mark_safe().
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe


def search(request):
    q = request.GET.get("q", "")
    heading = mark_safe("Results for <mark>" + escape(q) + "</mark>")
    return render(request, "blog/search.html", {"heading": heading})
