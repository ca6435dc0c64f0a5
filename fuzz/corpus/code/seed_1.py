# DJG101 fire: request data flows through locals, f-string/%/.format/+/join and a dict into cursor.execute and raw().
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .models import Product


def search(request):
    term = request.GET.get("q", "").strip()
    sql = f"SELECT id, name FROM shop_product WHERE name LIKE '%{term}%'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return JsonResponse({"results": rows})


def by_category(request):
    filters = {"category": request.GET["category"], "brand": request.GET.get("brand", "")}
    clauses = ["category = '%s'" % filters["category"], "brand = '{}'".format(filters["brand"])]
    where = " AND ".join(clauses)
    query = "SELECT * FROM shop_product WHERE " + where
    products = Product.objects.raw(query)
    return render(request, "shop/list.html", {"products": products})


def sorted_list(request):
    column, direction = request.GET.get("sort", "name"), request.GET.get("dir", "ASC")
    sql = "SELECT * FROM shop_product ORDER BY "
    sql += column + " " + direction
    cursor = connection.cursor()
    cursor.execute(sql)
    return JsonResponse({"results": cursor.fetchall()})
