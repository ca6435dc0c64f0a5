# DJG106 pass: request data is wrapped in shlex.quote() inside the shell command.
import os
import shlex
import subprocess

from django.http import JsonResponse


def ping(request):
    host = request.GET.get("host", "localhost")
    result = subprocess.run(f"ping -c 1 {shlex.quote(host)}", shell=True, capture_output=True)
    return JsonResponse({"reachable": result.returncode == 0})


def lookup(request):
    status = os.system("dig +short " + shlex.quote(request.GET["domain"]))
    return JsonResponse({"status": status})
