from django.urls import path

from workshops import feeds, views

app_name = "workshops"
urlpatterns = [
    path("", views.workshop_list, name="workshop-list"),
    path("new/", views.workshop_create, name="workshop-create"),
    # The feeds come before the workshop routes: "calendar.ics" is not a workshop.
    path("calendar.ics", feeds.member_calendar, name="calendar-feed"),
    path("calendar-token/", views.calendar_token_reset, name="calendar-token-reset"),
    path("<slug:slug>.ics", feeds.workshop_calendar, name="workshop-ics"),
    path("<slug:slug>/", views.workshop_detail, name="workshop-detail"),
    path("<slug:slug>/edit/", views.workshop_edit, name="workshop-edit"),
    path("<slug:slug>/register/", views.register, name="workshop-register"),
    path("<slug:slug>/unregister/", views.unregister, name="workshop-unregister"),
    path("<slug:slug>/room/", views.room_control, name="room-control"),
    path("<slug:slug>/slow-mode/", views.slow_mode, name="slow-mode"),
    path("<slug:slug>/mute/", views.mute, name="mute"),
    path("<slug:slug>/announcements/", views.announcement_create, name="announcement-create"),
    path(
        "<slug:slug>/announcements/<int:announcement_id>/unpin/",
        views.announcement_unpin,
        name="announcement-unpin",
    ),
    path("<slug:slug>/qa-mode/", views.qa_mode, name="qa-mode"),
    path("<slug:slug>/end/", views.end, name="workshop-end"),
    path("<slug:slug>/cancel/", views.cancel, name="workshop-cancel"),
    path("<slug:slug>/questions/", views.question_list, name="question-list"),
    path(
        "<slug:slug>/questions/<int:question_id>/vote/", views.question_vote, name="question-vote"
    ),
    path(
        "<slug:slug>/questions/<int:question_id>/answer/",
        views.question_answer,
        name="question-answer",
    ),
    path(
        "<slug:slug>/questions/<int:question_id>/hide/", views.question_hide, name="question-hide"
    ),
]
