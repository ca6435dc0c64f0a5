# DJG108 pass: uploaded YAML is parsed with yaml.safe_load().
import yaml
from django.http import JsonResponse


def import_settings(request):
    config = yaml.safe_load(request.FILES["config"].read())
    return JsonResponse({"keys": sorted(config or {})})
