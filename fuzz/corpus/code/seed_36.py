# DJG101 pass: request values are cast with int() inside the interpolation, so only numbers reach the SQL.
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .models import Product


def page(request):
    sql = f"SELECT * FROM shop_product ORDER BY id LIMIT 20 OFFSET {int(request.GET.get('offset', 0))}"
    products = Product.objects.raw(sql)
    return render(request, "shop/list.html", {"products": products})


def stock(request, product_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT quantity FROM shop_stock WHERE product_id = %d" % int(product_id))
        row = cursor.fetchone()
    return JsonResponse({"quantity": row[0] if row else 0})
