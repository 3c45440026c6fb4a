from django.urls import path

from profiles import views

app_name = "profiles"
# Fixed pages come before <username>/: their names are reserved (models.RESERVED_USERNAMES).
urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("map/", views.members_map, name="member-map"),
    path("connections/", views.connections, name="connections"),
    path("me/edit/", views.profile_edit, name="profile-edit"),
    path("me/export/", views.export_data, name="data-export"),
    path("me/delete/", views.delete_account, name="account-delete"),
    path("<str:username>/", views.member_detail, name="member-detail"),
    path("<str:username>/connect/", views.connect, name="connect"),
    path("<str:username>/accept/", views.accept, name="accept"),
    path("<str:username>/decline/", views.decline, name="decline"),
    path("<str:username>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:username>/remove/", views.remove, name="remove"),
    path("<str:username>/block/", views.block, name="block"),
    path("<str:username>/unblock/", views.unblock, name="unblock"),
    path("<str:username>/report/", views.report, name="report"),
]
