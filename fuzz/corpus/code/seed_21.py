# DJG101 fire: cleaned_data of an untyped CharField is still request data and ends up in raw SQL.
from django.shortcuts import render

from .forms import SearchForm
from .models import Product


def search(request):
    form = SearchForm(request.GET)
    products = []
    if form.is_valid():
        q = form.cleaned_data["q"]
        products = Product.objects.raw(f"SELECT * FROM shop_product WHERE name = '{q}'")
    return render(request, "shop/search.html", {"form": form, "products": products})
