# DJG107 fire (low confidence): calc/pricing.py calls eval() on a function parameter; no view calls it.
from django.shortcuts import render


def index(request):
    return render(request, "calc/index.html")
