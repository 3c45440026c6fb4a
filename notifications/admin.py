from django.contrib import admin

from notifications.models import Digest, EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "text", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    raw_id_fields = ["recipient", "actor", "digest"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["member"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "sent_at", "item_count"]
    date_hierarchy = "sent_at"
    raw_id_fields = ["recipient"]
