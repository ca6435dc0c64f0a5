# DJG102 pass: mark_safe() only ever wraps literal HTML; request data goes to the template as plain (auto-escaped) context.
from django.shortcuts import render
from django.utils.safestring import mark_safe

NEW_BADGE = mark_safe('<span class="badge">new</span>')


def post_list(request):
    context = {
        "query": request.GET.get("q", ""),
        "badge": NEW_BADGE,
        "divider": mark_safe("<hr class='divider'>"),
    }
    return render(request, "blog/list.html", context)
