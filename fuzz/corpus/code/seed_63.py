from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .models import CartItem, Product


def product_list(request):
    return render(request, "shop/list.html", {"products": Product.objects.all()})


def add_to_cart(request):
    product = get_object_or_404(Product, pk=request.POST["product"])
    session_key = request.session.session_key
    item, _ = CartItem.objects.get_or_create(session_key=session_key, product=product)
    item.quantity += 1
    item.save()
    return JsonResponse({"quantity": item.quantity})
