# DJG102 fire (low confidence): a template filter in blog/templatetags marks a non-literal, unescaped value safe; no view involved.
from django.shortcuts import render


def index(request):
    return render(request, "blog/index.html", {"posts": []})
