# DJG102 pass: HttpResponse carries request data only with a non-HTML content type (text/plain, application/json).
import json

from django.http import HttpResponse


def echo(request):
    text = request.GET.get("text", "")
    return HttpResponse(text, content_type="text/plain")


def search_api(request):
    q = request.GET.get("q", "")
    payload = json.dumps({"query": q, "results": []})
    return HttpResponse(payload, content_type="application/json")
