from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from profiles import services
from profiles.models import Block, Cohort, Connection, Invitation, Profile, Report, User


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

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # The directory stores the name and whether the member is listed (status, active).
        services.refresh_directory(user_ids=[obj.pk])
        services.directory_changed()


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


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "country", "hidden_from_directory", "updated_at"]
    list_filter = ["hidden_from_directory", "country_visibility"]
    search_fields = ["user__username", "user__display_name", "organisation"]
    raw_id_fields = ["user"]
    readonly_fields = ["bio_html"]
    exclude = ["name_search", "organisation_search", "bio_search"]

    def save_related(self, request, form, formsets, change) -> None:
        # After the tags, clusters and languages are saved too: the directory stores them.
        super().save_related(request, form, formsets, change)
        services.refresh_directory(profile_ids=[form.instance.pk])
        services.directory_changed()


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["member", "reason", "reporter", "created_at", "resolved_at"]
    list_filter = ["reason", "resolved_at"]
    raw_id_fields = ["member", "reporter", "resolved_by"]
