# DJG104 fire: a @require_GET view that inserts rows with .bulk_create().
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .models import Article, Bookmark


@login_required
@require_GET
def bookmark_all(request):
    articles = Article.objects.filter(published=True)
    Bookmark.objects.bulk_create([Bookmark(user=request.user, article=a) for a in articles])
    return JsonResponse({"bookmarked": len(articles)})
