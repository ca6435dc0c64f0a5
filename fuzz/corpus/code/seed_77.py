# DJG104 pass: the state-changing function views are restricted to POST, not GET.
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .models import Article


@require_POST
def publish(request, pk):
    article = get_object_or_404(Article, pk=pk)
    article.published = True
    article.save()
    return redirect("article-detail", pk=pk)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("home")
