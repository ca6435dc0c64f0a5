# DJG104 fire: a view restricted by require_http_methods(["GET"]) that calls .update(...).
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from .models import Article


@require_http_methods(["GET"])
def unpublish_all(request):
    count = Article.objects.filter(published=True).update(published=False)
    return JsonResponse({"unpublished": count})
