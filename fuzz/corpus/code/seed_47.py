# DJG102 fire: a TemplateView reads self.request.GET and marks it safe in a self.highlight() helper method.
from django.views.generic import TemplateView
from django.utils.safestring import mark_safe


class SearchResultsView(TemplateView):
    template_name = "blog/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        context["heading"] = self.highlight(query)
        return context

    def highlight(self, text):
        return mark_safe("Results for <mark>%s</mark>" % text)
