# DJG101 fire: the view hands request.GET data to a helper in shop/db.py that formats it into cursor.execute().
from django.http import JsonResponse

from shop import db


def search(request):
    q = request.GET.get("q", "")
    rows = db.run_search(q)
    return JsonResponse({"results": rows})
