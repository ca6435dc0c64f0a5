# DJG101 fire: a URL kwarg interpolated into a RawSQL() annotation.
from django.db.models.expressions import RawSQL
from django.shortcuts import render

from .models import Product


def with_discount(request, currency):
    rate = RawSQL("SELECT rate FROM shop_exchange WHERE code = '%s'" % currency, ())
    products = Product.objects.annotate(rate=rate)
    return render(request, "shop/list.html", {"products": products})
