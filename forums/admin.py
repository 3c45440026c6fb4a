from django.contrib import admin

from forums.models import (
    Category,
    ModerationLogEntry,
    Post,
    PostImage,
    Report,
    Topic,
    TopicTag,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "access", "cohort", "parent", "order", "topic_count"]
    list_filter = ["access", "kind"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["topic_count", "post_count", "last_post_at"]
    autocomplete_fields = ["parent"]
    search_fields = ["name", "slug"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    # Moderation goes through the forum pages (it is logged there); the admin is for lookups.
    list_display = ["title", "category", "author", "state", "is_pinned", "is_locked", "post_count"]
    list_filter = ["state", "is_pinned", "is_locked", "category"]
    search_fields = ["title"]
    raw_id_fields = ["author", "summary", "last_poster"]
    readonly_fields = ["last_number", "post_count", "last_post_at", "revision"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["topic", "author", "edited_by"]
    readonly_fields = ["html", "reaction_counts"]
    search_fields = ["body"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "topic", "reason"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "topic", "post"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the log is a record: nobody rewrites it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(TopicTag)
admin.site.register(PostImage)
