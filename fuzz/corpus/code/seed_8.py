# DJG101 pass: only cleaned_data of typed form fields (IntegerField, ChoiceField) is interpolated into the SQL.
from django.shortcuts import render

from .forms import ProductFilterForm
from .models import Product


def by_year(request):
    form = ProductFilterForm(request.GET)
    products = []
    if form.is_valid():
        products = Product.objects.raw(
            "SELECT * FROM shop_product WHERE EXTRACT(year FROM created) = {} ORDER BY {}".format(
                form.cleaned_data["year"], form.cleaned_data["sort"]
            )
        )
    return render(request, "shop/list.html", {"form": form, "products": products})
