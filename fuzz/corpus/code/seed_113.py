# DJG106 fire: request data reaches os.system/os.popen/subprocess shell=True via locals, f-string/%/.format/+/join and a list.
import os
import subprocess

from django.http import JsonResponse


def ping(request):
    host = request.GET.get("host", "localhost").strip()
    cmd = "ping -c 1 %s" % host
    status = os.system(cmd)
    return JsonResponse({"reachable": status == 0})


def lookup(request):
    domain = request.GET["domain"]
    with os.popen(f"dig +short {domain}") as pipe:
        answer = pipe.read()
    return JsonResponse({"answer": answer})


def archive(request):
    names = [request.POST.get("folder", "uploads"), request.POST.get("suffix", "")]
    target = "backup-{}.tar.gz".format("-".join(names))
    command = "tar czf " + target + " media/" + names[0]
    subprocess.run(command, shell=True, check=True)
    return JsonResponse({"archive": target})
