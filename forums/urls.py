from django.urls import path

from forums import feeds, views

app_name = "forums"
urlpatterns = [
    path("", views.category_list, name="category-list"),
    # Fixed paths first: a category slug can never shadow them (see RESERVED_SLUGS).
    path("search/", views.search_view, name="search"),
    path("new/", views.new_topics, name="new-topics"),
    path("uploads/", views.image_upload, name="image-upload"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path("moderation/log/", views.moderation_log, name="moderation-log"),
    path("moderation/p/<int:post_id>/dismiss/", views.report_dismiss, name="report-dismiss"),
    path("t/<int:topic_id>-<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("t/<int:topic_id>/", views.topic_redirect, name="topic-redirect"),
    path("t/<int:topic_id>/reply/", views.topic_reply, name="topic-reply"),
    path("t/<int:topic_id>/unread/", views.topic_unread, name="topic-unread"),
    path("t/<int:topic_id>/edit/", views.topic_edit, name="topic-edit"),
    path("t/<int:topic_id>/watch/", views.topic_watch, name="topic-watch"),
    path("t/<int:topic_id>/summary/", views.summary_edit, name="topic-summary"),
    path("t/<int:topic_id>/move/", views.topic_move, name="topic-move"),
    path("t/<int:topic_id>/split/", views.topic_split, name="topic-split"),
    path("t/<int:topic_id>/feed/", feeds.TopicFeed(), name="topic-feed"),
    path("t/<int:topic_id>/moderate/<slug:action>/", views.topic_moderate, name="topic-moderate"),
    path("p/<int:post_id>/", views.post_permalink, name="post-permalink"),
    path("p/<int:post_id>/history/", views.post_history, name="post-history"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post-edit"),
    path("p/<int:post_id>/react/", views.post_react, name="post-react"),
    path("p/<int:post_id>/report/", views.post_report, name="post-report"),
    path("p/<int:post_id>/delete/", views.post_delete, name="post-delete"),
    path("p/<int:post_id>/moderate/<slug:action>/", views.post_moderate, name="post-moderate"),
    path("<slug:slug>/", views.category_detail, name="category-detail"),
    path("<slug:slug>/new/", views.topic_create, name="topic-create"),
    path("<slug:slug>/watch/", views.category_watch, name="category-watch"),
    path("<slug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
]
