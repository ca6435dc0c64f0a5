# DJG107 pass: exec/eval/compile only ever receive literal code; request values are never part of it.
from django.http import JsonResponse


def version_check(request):
    namespace = {}
    exec("import sys\nversion = sys.version_info[:2]", namespace)
    return JsonResponse({"python": list(namespace["version"])})


def seconds_per_day(request):
    return JsonResponse({"seconds": eval("60 * 60 * 24")})


def syntax_ok(request):
    code = compile("total = price * qty", "<pricing>", "exec")
    return JsonResponse({"ok": code is not None, "qty": int(request.GET.get("qty", 1))})
