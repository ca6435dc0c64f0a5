from django.contrib import admin

from .models import Product, Review


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "price"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [ReviewInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "author", "rating", "created"]
    list_filter = ["rating"]
