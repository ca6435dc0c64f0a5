# DJG101 pass: request data is passed as query parameters to cursor.execute() and raw(), never formatted into the SQL.
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .models import Product


def search(request):
    q = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM shop_product WHERE name LIKE %s", ["%" + q + "%"])
        rows = cursor.fetchall()
    return JsonResponse({"results": rows})


def by_brand(request, brand):
    products = Product.objects.raw("SELECT * FROM shop_product WHERE brand = %s", [brand])
    return render(request, "shop/list.html", {"products": products})
