# DJG101 fire: a ListView reads self.request.GET and self.kwargs and builds SQL in a self.helper() method.
from django.views.generic import ListView

from .models import Product


class CategoryProductList(ListView):
    template_name = "shop/list.html"
    context_object_name = "products"

    def get_queryset(self):
        category = self.kwargs["category"]
        order = self.request.GET.get("order", "name")
        return self.fetch_products(category, order)

    def fetch_products(self, category, order):
        sql = (
            "SELECT * FROM shop_product WHERE category = '{}' ORDER BY {}"
        ).format(category, order)
        return Product.objects.raw(sql)
