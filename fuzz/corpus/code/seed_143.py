# DJG108 pass: yaml.load() with the C-accelerated safe loader (Loader=yaml.CSafeLoader).
import yaml
from django.http import JsonResponse


def preview(request):
    data = yaml.load(request.POST.get("yaml", ""), Loader=yaml.CSafeLoader)
    return JsonResponse({"data": data})
