# DJG101 fire (low confidence): reports/stats.py concatenates a non-literal table name into SQL; no view calls it.
from django.shortcuts import render


def dashboard(request):
    return render(request, "reports/dashboard.html", {"title": "Reports"})
