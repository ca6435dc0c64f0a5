# DJG108 fire: cart/codec.py returns decoded bytes derived from its argument; the view feeds it POST data and unpickles the result.
import pickle

from django.http import JsonResponse

from cart import codec


def resume_checkout(request):
    state = pickle.loads(codec.decode_state(request.POST["state"]))
    return JsonResponse({"step": state.get("step")})
