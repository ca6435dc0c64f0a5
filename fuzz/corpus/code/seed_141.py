# DJG108 fire: the raw request body is unpickled directly in a function view.
import pickle

from django.http import JsonResponse


def import_cart(request):
    cart = pickle.loads(request.body)
    return JsonResponse({"items": len(cart)})
