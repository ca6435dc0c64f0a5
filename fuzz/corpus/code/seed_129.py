# DJG107 pass: .eval() is a method of a sandboxed expression evaluator object, not the eval builtin.
from django.http import JsonResponse
from simpleeval import SimpleEval


def calculate(request):
    evaluator = SimpleEval(names={"price": 10, "qty": 3})
    result = evaluator.eval(request.GET.get("expr", "price * qty"))
    return JsonResponse({"result": result})
