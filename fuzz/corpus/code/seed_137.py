# DJG107 pass: request data parsed with ast.literal_eval(), which only accepts literals.
import ast

from django.http import JsonResponse


def parse_filters(request):
    raw = request.GET.get("filters", "{}")
    try:
        filters = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        filters = {}
    return JsonResponse({"filters": filters})
