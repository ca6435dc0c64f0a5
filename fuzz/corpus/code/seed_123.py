# DJG106 fire: the view passes request data to tools/images.py:make_thumbnail(), which runs it through a shell.
from django.http import JsonResponse

from .images import make_thumbnail


def thumbnail(request):
    name = request.POST["filename"]
    make_thumbnail(name, request.POST.get("size", "200x200"))
    return JsonResponse({"ok": True})
