# DJG101 pass: the SQL text is a constant; nothing from the request reaches it.
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .models import Product

TOP_SELLERS_SQL = """
    SELECT p.id, p.name, SUM(o.quantity) AS sold
    FROM shop_product p JOIN shop_orderline o ON o.product_id = p.id
    GROUP BY p.id, p.name ORDER BY sold DESC LIMIT 10
"""


def top_sellers(request):
    with connection.cursor() as cursor:
        cursor.execute(TOP_SELLERS_SQL)
        rows = cursor.fetchall()
    return JsonResponse({"results": rows})


def cheap(request):
    products = Product.objects.raw("SELECT * FROM shop_product WHERE price < 10")
    return render(request, "shop/list.html", {"products": products})
