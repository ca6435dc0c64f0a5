# DJG108 fire: request data reaches pickle/marshal/yaml via locals, base64 decoding, string building and a dict.
import base64
import marshal
import pickle

import yaml
from django.http import JsonResponse


def restore_cart(request):
    cookie = request.COOKIES.get("cart", "")
    blob = base64.b64decode(cookie)
    cart = pickle.loads(blob)
    return JsonResponse({"items": len(cart)})


def import_settings(request):
    sections = {"header": request.POST.get("header", ""), "body": request.POST["body"]}
    document = "\n".join([sections["header"], sections["body"]])
    config = yaml.load(f"---\n{document}", Loader=yaml.Loader)
    return JsonResponse({"keys": sorted(config)})


def load_code(request):
    payload = request.FILES["module"].read()
    code = marshal.loads(payload)
    return JsonResponse({"name": code.co_name})
