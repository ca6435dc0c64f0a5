# DJG105 fire: a URL kwarg of the view (e.g. path("go/<path:target>/", ...)) is used as the redirect target.
from django.shortcuts import redirect

from .models import ClickLog


def track_click(request, target):
    ClickLog.objects.create(url=target)
    return redirect(target)
