from django.urls import path

from profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("<str:username>/", views.member_detail, name="member-detail"),
]
