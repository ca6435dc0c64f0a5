# DJG107 fire: a class-based View evaluates self.request.GET data in a self.evaluate() method.
from django.http import JsonResponse
from django.views import View


class CalculatorView(View):
    def get(self, request, *args, **kwargs):
        expression = self.request.GET.get("expr", "0")
        return JsonResponse({"result": self.evaluate(expression)})

    def evaluate(self, expression):
        return eval(expression, {"__builtins__": {}})
