# DJG108 pass: yaml.load() is given an explicit Loader=yaml.SafeLoader.
import yaml
from django.http import JsonResponse


def import_settings(request):
    config = yaml.load(request.body, Loader=yaml.SafeLoader)
    return JsonResponse({"keys": sorted(config or {})})
