from django.contrib import admin

from taxonomy import models


@admin.register(models.Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "review_phase", "articles_status", "order"]


@admin.register(models.Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "slug", "order"]


@admin.register(models.StakeholderType)
class StakeholderTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "category", "order"]
    list_filter = ["category"]


@admin.register(models.ExpertiseTerm)
class ExpertiseTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "group", "protocol", "order"]
    list_filter = ["group", "protocol"]
    search_fields = ["name", "slug"]


admin.site.register(models.StakeholderCategory)
admin.site.register(models.Language)
admin.site.register(models.RegionalGroup)
admin.site.register(models.ExpertiseGroup)
admin.site.register(models.ForumKind)
