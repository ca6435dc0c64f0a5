# DJG102 fire: markupsafe.Markup() wrapping a cookie value that is rendered into the page.
from django.shortcuts import render
from markupsafe import Markup


def dashboard(request):
    notice = request.COOKIES.get("flash", "")
    return render(request, "blog/dashboard.html", {"notice": Markup("<div class='flash'>" + notice + "</div>")})
