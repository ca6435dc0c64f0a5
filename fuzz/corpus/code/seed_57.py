# DJG103 pass: @csrf_exempt on a view restricted to GET/HEAD by @require_safe.
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .models import Product


@require_safe
@csrf_exempt
def catalogue(request):
    products = Product.objects.filter(active=True).order_by("name")
    return render(request, "shop/catalogue.html", {"products": products})
