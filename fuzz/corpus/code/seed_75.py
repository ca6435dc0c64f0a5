# DJG104 pass: the class-based view reads in get() and only saves/creates in post().
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from .models import Article, Bookmark


class BookmarkView(LoginRequiredMixin, View):
    def get(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        return render(request, "shop/confirm_bookmark.html", {"article": article})

    def post(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        Bookmark.objects.create(user=request.user, article=article)
        article.views += 1
        article.save()
        return redirect("article-detail", pk=pk)
