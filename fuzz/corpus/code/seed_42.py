# DJG102 fire: request.GET value passed straight to mark_safe() in a function view.
from django.shortcuts import render
from django.utils.safestring import mark_safe


def preview(request):
    banner = mark_safe(request.GET.get("banner", ""))
    return render(request, "blog/preview.html", {"banner": banner})
