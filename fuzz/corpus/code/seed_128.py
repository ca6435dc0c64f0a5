# DJG107 fire: the ?expr= parameter goes straight into eval() in a function view.
from django.http import JsonResponse


def calculate(request):
    result = eval(request.GET["expr"])
    return JsonResponse({"result": result})
