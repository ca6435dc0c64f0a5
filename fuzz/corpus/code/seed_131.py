# DJG107 fire: calc/rules.py returns Python source built from its arguments; the view fills them from POST and exec()s it.
from django.http import JsonResponse

from .rules import rule_source


def test_rule(request):
    source = rule_source("total", request.POST.get("operator", ">"), request.POST["value"])
    namespace = {}
    exec(source, namespace)
    return JsonResponse({"matches": namespace["check"]({"total": 42})})
