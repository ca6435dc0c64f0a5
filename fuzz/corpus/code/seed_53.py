# DJG102 fire: request data interpolated into an HttpResponse with the default text/html content type.
from django.http import HttpResponse


def not_found(request):
    path = request.path
    return HttpResponse(f"<h1>Not found</h1><p>No page at {path}</p>", status=404)
