# DJG101 pass: URL arguments that the URL conf restricts to digits or slugs cannot carry SQL.
from django.db import connection
from django.views import View

from .models import Product


def detail(request, pk, slug):
    return Product.objects.raw(f"SELECT * FROM shop_product WHERE id = {pk} AND slug = '{slug}'")


class Archive(View):
    def get(self, request, year):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM shop_product WHERE year = %s" % self.kwargs["year"], [])
