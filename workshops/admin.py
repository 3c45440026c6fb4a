from django.contrib import admin

from workshops.models import Announcement, Question, Registration, Workshop


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["member"]
    readonly_fields = ["created_at"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    """For staff to look things up; facilitators schedule and run workshops on the site,
    where the services keep seats, rooms and archives consistent."""

    list_display = ["title", "starts_at", "time_zone", "capacity", "seat_count", "ended_at"]
    list_filter = ["time_zone"]
    search_fields = ["title", "slug"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "description_html", "agenda_html", "seat_count", "room", "room_opened_at", "ended_at",
        "archive_topic", "cancelled_at", "created_by", "created_at",
    ]  # fmt: skip
    filter_horizontal = ["facilitators"]
    inlines = [RegistrationInline]

    def has_add_permission(self, request) -> bool:
        return False  # a workshop needs its room: schedule it on the site

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # edits go through the site, which renders and re-schedules reminders


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["body", "workshop", "author", "vote_count", "answered_at", "hidden_at"]
    raw_id_fields = ["workshop", "author", "answered_by"]
    readonly_fields = ["vote_count", "body_html"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["body", "workshop", "created_at", "unpinned_at"]
    raw_id_fields = ["workshop", "author"]
    readonly_fields = ["body_html"]
