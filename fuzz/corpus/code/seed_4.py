from django.db import connection


def table_row_count(table_name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM " + table_name)
        return cursor.fetchone()[0]
