# DJG107 pass: re.compile() on request data is a regex, not Python code compilation.
import re

from django.http import JsonResponse

WORDS = ["django", "flask", "fastapi", "pyramid"]


def match_words(request):
    pattern = re.compile(re.escape(request.GET.get("pattern", "")), re.IGNORECASE)
    return JsonResponse({"matches": [w for w in WORDS if pattern.search(w)]})
