# DJG107 fire: request data reaches exec/eval/compile via locals, f-string/%/.format/+/join and a dict.
from django.http import JsonResponse


def apply_formula(request):
    formula = request.POST.get("formula", "0").strip()
    code = f"result = {formula}"
    namespace = {"price": 10, "qty": 2}
    exec(code, namespace)
    return JsonResponse({"result": namespace["result"]})


def compare(request):
    values = {"left": request.GET["a"], "op": request.GET.get("op", "==")}
    expression = "%s %s {}".format(request.GET["b"]) % (values["left"], values["op"])
    return JsonResponse({"result": eval(expression)})


def pipeline(request):
    steps = request.POST.getlist("step")
    source = "\n".join(steps) + "\n"
    program = compile(source, "<pipeline>", "exec")
    return JsonResponse({"compiled": program is not None})
