# DJG104 fire: get() of a DRF APIView that calls .get_or_create(...).
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Article, Bookmark


class ToggleBookmarkView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, pk):
        article = Article.objects.get(pk=pk)
        bookmark, created = Bookmark.objects.get_or_create(user=request.user, article=article)
        return Response({"bookmark": bookmark.pk, "created": created})
