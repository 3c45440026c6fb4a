from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from profiles.models import Block, Cohort, Connection, Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "display_name", "status", "is_moderator", "is_staff"]
    list_filter = ["status", "is_moderator", "is_facilitator", "is_staff"]
    search_fields = ["username", "email", "display_name"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Membership"),
            {
                "fields": [
                    "display_name",
                    "status",
                    "is_moderator",
                    "is_facilitator",
                    "rejection_reason",
                ]
            },
        ),
    ]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["code", "cohort", "email", "use_count", "max_uses", "expires_at"]


admin.site.register(Connection)
admin.site.register(Block)
