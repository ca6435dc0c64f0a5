from django.db import connection


def run_search(term):
    sql = "SELECT id, name, price FROM shop_product WHERE name LIKE '%%%s%%'" % term
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
