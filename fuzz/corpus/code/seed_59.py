# DJG103 fire: @csrf_exempt together with @require_POST (restricted, but to an unsafe method).
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Review


@csrf_exempt
@require_POST
def delete_review(request, pk):
    review = get_object_or_404(Review, pk=pk, author=request.user)
    review.delete()
    return JsonResponse({"deleted": pk})
