# DJG102 pass: request data returned through JsonResponse, not HTML.
from django.http import JsonResponse


def autocomplete(request):
    term = request.GET.get("term", "")
    suggestions = [f"{term} tutorial", f"{term} examples"]
    return JsonResponse({"term": term, "suggestions": suggestions})
