# DJG103 pass: method_decorator(csrf_exempt, name="dispatch") on a class that only defines get/head/options.
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .models import Product


@method_decorator(csrf_exempt, name="dispatch")
class ProductFeedView(View):
    def get(self, request):
        items = list(Product.objects.values("sku", "name", "price"))
        return JsonResponse({"items": items})

    def head(self, request):
        return HttpResponse(headers={"X-Count": str(Product.objects.count())})

    def options(self, request, *args, **kwargs):
        return super().options(request, *args, **kwargs)
