# DJG101 pass: RawSQL, extra() and executemany() all receive request data only through their params arguments.
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse
from django.shortcuts import render

from .models import Product


def with_rate(request, currency):
    rate = RawSQL("SELECT rate FROM shop_exchange WHERE code = %s", (currency,))
    products = Product.objects.annotate(rate=rate)
    return render(request, "shop/list.html", {"products": products})


def filtered(request):
    brand = request.GET.get("brand", "")
    products = Product.objects.extra(where=["brand = %s"], params=[brand])
    return render(request, "shop/list.html", {"products": products})


def bulk_tag(request):
    tags = [(tag, request.POST["product_id"]) for tag in request.POST.getlist("tags")]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO shop_tag (name, product_id) VALUES (%s, %s)", tags)
    return JsonResponse({"ok": True})
