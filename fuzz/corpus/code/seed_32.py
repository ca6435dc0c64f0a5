# DJG101 fire: request data formatted into the where= strings of QuerySet.extra().
from django.shortcuts import render

from .models import Product


def filtered(request):
    brand = request.GET.get("brand", "")
    products = Product.objects.extra(where=[f"brand = '{brand}'"], order_by=["name"])
    return render(request, "shop/list.html", {"products": products})
