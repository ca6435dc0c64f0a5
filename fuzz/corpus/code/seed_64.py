# DJG103 fire: csrf_exempt(view) wrapped inside urlpatterns for a view that accepts POST.
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "shop"

urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("cart/add/", csrf_exempt(views.add_to_cart), name="cart-add"),
]
