# DJG104 fire: a @require_GET view that changes state with .save().
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from .models import Article


@require_GET
def publish(request, pk):
    article = get_object_or_404(Article, pk=pk)
    article.published = True
    article.save()
    return redirect("article-detail", pk=pk)
