# DJG108 pass: cart state from the request is decoded with json.loads(), not pickle.
import base64
import json

from django.http import JsonResponse


def restore_cart(request):
    raw = base64.b64decode(request.COOKIES.get("cart", "e30="))
    cart = json.loads(raw)
    return JsonResponse({"items": len(cart)})


def import_cart(request):
    return JsonResponse({"cart": json.loads(request.body)})
