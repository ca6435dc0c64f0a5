# DJG106 fire (low confidence): tools/backup.py runs os.system() on a command built from parameters; no view calls it.
from django.shortcuts import render


def status(request):
    return render(request, "tools/status.html", {"healthy": True})
