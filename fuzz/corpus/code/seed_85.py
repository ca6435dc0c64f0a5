# DJG104 fire: the get() method of a class-based view calls .objects.create(...).
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from .models import Article, Bookmark


class AddBookmarkView(LoginRequiredMixin, View):
    def get(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        Bookmark.objects.create(user=request.user, article=article)
        return redirect("article-detail", pk=pk)
