# DJG106 fire: a POSTed command string goes straight into subprocess.check_output(..., shell=True).
import subprocess

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse


@staff_member_required
def run_maintenance(request):
    output = subprocess.check_output(request.POST["command"], shell=True)
    return HttpResponse(output, content_type="text/plain")
