# DJG101 fire: a helper in shop/queries.py returns SQL built from its arguments; the view passes request data and runs it with raw().
from django.shortcuts import render

from .models import Product
from .queries import build_price_query


def price_range(request):
    low = request.GET.get("min", "0")
    high = request.GET.get("max", "1000")
    products = Product.objects.raw(build_price_query(low, high))
    return render(request, "shop/list.html", {"products": products})
