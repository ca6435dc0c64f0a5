# DJG102 pass: request data is escaped (escape / conditional_escape) before mark_safe().
from django.shortcuts import render
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def preview(request):
    title = request.POST.get("title", "")
    summary = request.POST.get("summary", "")
    context = {
        "title": mark_safe(escape(title)),
        "summary": mark_safe(conditional_escape(summary)),
    }
    return render(request, "blog/preview.html", context)
