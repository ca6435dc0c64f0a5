# DJG103 pass: @csrf_exempt on a view restricted to GET by @require_GET (no unsafe method reaches it).
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .models import Product


@csrf_exempt
@require_GET
def stock_level(request, pk):
    product = Product.objects.get(pk=pk)
    return JsonResponse({"sku": product.sku, "in_stock": product.stock})
