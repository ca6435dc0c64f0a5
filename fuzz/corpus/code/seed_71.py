# DJG103 fire: @csrf_exempt on a function view that handles POST.
import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Subscriber


@csrf_exempt
def subscribe(request):
    if request.method == "POST":
        payload = json.loads(request.body)
        Subscriber.objects.create(email=payload["email"])
        return JsonResponse({"ok": True}, status=201)
    return JsonResponse({"count": Subscriber.objects.count()})
