# DJG101 pass: test code (a view in tests/ that builds SQL on purpose) is not audited.
from django.db import connection


def fake_search(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM shop_product WHERE name = '{request.GET['q']}'")
