from django.contrib import admin

from forums.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "access", "order"]
    list_filter = ["access", "kind"]
    prepopulated_fields = {"slug": ["name"]}
