from django.urls import path

from chat import views

app_name = "chat"
urlpatterns = [
    path("", views.room_list, name="room-list"),
    path("direct/<str:username>/", views.direct_open, name="direct-open"),
    path("<slug:slug>/", views.room_detail, name="room-detail"),
    path("<slug:slug>/moderate/", views.room_moderate, name="room-moderate"),
    path(
        "<slug:slug>/messages/<int:message_id>/delete/",
        views.message_delete,
        name="message-delete",
    ),
]
