# DJG105 fire: the view passes request.GET["next"] to accounts/navigation.py:go_back(), which redirects to it.
from django.contrib import messages

from accounts import navigation


def cancel(request):
    messages.info(request, "Action cancelled.")
    return navigation.go_back(request.GET["next"])
