# DJG103 pass: @csrf_exempt on a view restricted by @require_http_methods(["GET", "HEAD"]).
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def health(request):
    return JsonResponse({"status": "ok"})
