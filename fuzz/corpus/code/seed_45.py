# DJG102 fire: blog/snippets.py returns HTML built from its arguments; the view fills it with POST data and returns it in an HttpResponse.
from django.http import HttpResponse

from blog import snippets


def comment_preview(request):
    author = request.POST.get("author", "anonymous")
    fragment = snippets.comment_html(author, request.POST["text"])
    return HttpResponse(fragment)
