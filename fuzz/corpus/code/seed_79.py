# DJG104 pass: GET-only views that only read (.filter, .get, render).
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from .models import Article


@require_GET
def article_list(request):
    articles = Article.objects.filter(published=True).order_by("-pk")
    return render(request, "shop/article_list.html", {"articles": articles})


@require_safe
def article_detail(request, pk):
    article = Article.objects.get(pk=pk, published=True)
    query = request.GET.get("highlight", "")
    return render(request, "shop/article_detail.html", {"article": article, "q": query})
