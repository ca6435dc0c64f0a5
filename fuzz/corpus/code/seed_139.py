# DJG108 fire (low confidence): cart/snapshots.py unpickles a file given by a parameter; no view calls it.
from django.shortcuts import render


def index(request):
    return render(request, "cart/index.html")
