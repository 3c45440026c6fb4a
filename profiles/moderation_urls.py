from django.urls import path

from profiles import views

app_name = "moderation"
urlpatterns = [
    path("members/", views.pending_members, name="members"),
    path("members/<int:user_id>/approve/", views.approve_member, name="approve-member"),
    path("members/<int:user_id>/reject/", views.reject_member, name="reject-member"),
    path("invitations/", views.invitations, name="invitations"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/resolve/", views.resolve_report, name="resolve-report"),
]
