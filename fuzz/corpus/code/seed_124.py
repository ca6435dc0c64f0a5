# DJG106 pass: shell commands are literal strings; the request only selects which one runs.
import os
import subprocess

from django.http import JsonResponse


def version(request):
    commit = subprocess.check_output("git rev-parse --short HEAD", shell=True, text=True)
    return JsonResponse({"commit": commit.strip()})


def clear_cache(request):
    if request.POST.get("confirm") == "yes":
        os.system("rm -rf /srv/cache/pages/*")
    return JsonResponse({"cleared": True})
