from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods


@require_http_methods(["GET", "HEAD", "POST"])
def home(request):
    """Guest-book style page: a form with a CSRF token, and a session touch."""
    visits = request.session.get("visits", 0) + 1
    request.session["visits"] = visits
    submitted = None
    if request.method == "POST":
        submitted = (request.POST.get("message") or "").strip()[:200]
    return render(
        request,
        "home.html",
        {
            "visits": visits,
            "submitted": submitted,
            "external_script": settings.SCAN_EXTERNAL_SCRIPT,
        },
    )


@require_GET
def preferences(request):
    """Sets an application cookie that is not one of Django's own."""
    response = render(request, "preferences.html", {"theme": "blue"})
    secure = settings.SCAN_CUSTOM_COOKIE_SECURE
    response.set_cookie(
        "site_theme",
        "blue",
        max_age=3600 * 24 * 30,
        secure=secure,
        httponly=secure,
        samesite="Lax" if secure else None,
    )
    return response


def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")
