# DJG104 pass: get() of a class-based view that only reads and renders.
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from .models import Bookmark


class BookmarkListView(LoginRequiredMixin, View):
    def get(self, request):
        bookmarks = Bookmark.objects.filter(user=request.user).select_related("article")
        latest = bookmarks.first()
        return render(request, "shop/bookmarks.html", {"bookmarks": bookmarks, "latest": latest})
