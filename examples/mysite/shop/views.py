"""Shop views -- DELIBERATELY INSECURE (a djguard test fixture).

Each planted vulnerability is marked with a "MISTAKE" comment.
"""
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Product, Review


def product_list(request):
    query = request.GET.get("q", "")
    if query:
        # MISTAKE: SQL injection -- the search term from the query string is
        # pasted into raw SQL with an f-string instead of passed as a param.
        products = Product.objects.raw(
            f"SELECT * FROM shop_product WHERE name LIKE '%{query}%' ORDER BY name"
        )
    else:
        products = Product.objects.all()
    return render(request, "shop/product_list.html", {"products": products, "query": query})


def product_detail(request, slug):
    product = get_object_or_404(Product, slug=slug)
    # MISTAKE: reflected XSS -- a query-string value is marked safe, so the
    # template prints it without escaping (?notice=<script>...).
    notice = mark_safe(request.GET.get("notice", ""))
    return render(
        request,
        "shop/product_detail.html",
        {"product": product, "reviews": product.reviews.all(), "notice": notice},
    )


# MISTAKE: CSRF protection switched off for a state-changing view (someone
# got 403s from the form, which lacks {% csrf_token %}, and "fixed" it here).
@csrf_exempt
@require_POST
def add_review(request, slug):
    product = get_object_or_404(Product, slug=slug)
    Review.objects.create(
        product=product,
        author=request.POST.get("author", "anonymous")[:100],
        body=request.POST.get("body", ""),
        rating=int(request.POST.get("rating", 5)),
    )
    return redirect("shop:product_detail", slug=product.slug)
