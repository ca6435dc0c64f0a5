# DJG107 fire: the view passes ?expr= to calc/engine.py:evaluate(), which calls eval() on it.
from django.http import JsonResponse

from calc import engine


def calculate(request):
    expr = request.GET.get("expr", "0")
    return JsonResponse({"result": engine.evaluate(expr, {"x": 1})})
