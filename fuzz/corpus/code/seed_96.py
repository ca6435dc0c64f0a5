# DJG104 fire: get() of a generic DetailView that calls .update_or_create(...).
from django.views.generic import DetailView

from .models import Article, Bookmark


class ArticleDetailView(DetailView):
    model = Article
    template_name = "shop/article_detail.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.user.is_authenticated:
            Bookmark.objects.update_or_create(
                user=request.user, article=self.object, defaults={"note": "last read"}
            )
        return response
