# DJG101 pass: request data goes into ORM filter()/order_by() lookups, which Django parameterises.
from django.shortcuts import render

from .models import Product

ALLOWED_ORDERING = {"name", "-name", "price", "-price"}


def search(request):
    q = request.GET.get("q", "")
    ordering = request.GET.get("order", "name")
    if ordering not in ALLOWED_ORDERING:
        ordering = "name"
    products = Product.objects.filter(name__icontains=q).order_by(ordering)
    return render(request, "shop/search.html", {"products": products, "q": q})
