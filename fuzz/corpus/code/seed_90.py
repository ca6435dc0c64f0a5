# DJG104 fire: a @require_safe view that calls .delete().
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from .models import Bookmark


@login_required
@require_safe
def remove_bookmark(request, pk):
    bookmark = get_object_or_404(Bookmark, pk=pk, user=request.user)
    bookmark.delete()
    return redirect("bookmark-list")
