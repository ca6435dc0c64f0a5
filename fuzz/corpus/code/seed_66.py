# DJG103 fire: @method_decorator(csrf_exempt, name="dispatch") on a class-based view with post().
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .models import Order


@method_decorator(csrf_exempt, name="dispatch")
class OrderStatusView(View):
    def get(self, request, pk):
        order = Order.objects.get(pk=pk)
        return JsonResponse({"status": order.status})

    def post(self, request, pk):
        order = Order.objects.get(pk=pk)
        order.status = request.POST["status"]
        order.save(update_fields=["status"])
        return JsonResponse({"status": order.status})
