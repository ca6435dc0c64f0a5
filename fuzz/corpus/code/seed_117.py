# DJG106 pass: subprocess gets an argument list without shell=True, even though it contains request data.
import subprocess

from django.http import HttpResponse, JsonResponse


def thumbnail(request):
    name = request.POST["filename"]
    size = request.POST.get("size", "200x200")
    subprocess.run(["convert", f"/srv/media/uploads/{name}", "-resize", size, "/srv/media/thumbs/" + name], check=True)
    return JsonResponse({"ok": True})


def lookup(request):
    args = ["dig", "+short", request.GET["domain"]]
    return HttpResponse(subprocess.check_output(args), content_type="text/plain")
