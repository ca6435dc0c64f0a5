# DJG106 fire: tools/commands.py returns a shell command built from its argument; the view feeds it ?host= and runs it with Popen(shell=True).
import subprocess

from django.http import HttpResponse

from tools import commands


def traceroute(request):
    cmd = commands.traceroute_command(request.GET.get("host", "example.com"), 15)
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return HttpResponse(out, content_type="text/plain")
