# DJG101 fire: request.GET value concatenated straight into Product.objects.raw() in a function view.
from django.shortcuts import render

from .models import Product


def search(request):
    products = Product.objects.raw(
        "SELECT * FROM shop_product WHERE name LIKE '%%" + request.GET["q"] + "%%'"
    )
    return render(request, "shop/search.html", {"products": products})
