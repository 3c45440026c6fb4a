from django.urls import path

from forums import feeds
from forums.views import member_actions, moderation, reading, writing

app_name = "forums"
urlpatterns = [
    path("", reading.category_list, name="category-list"),
    # Fixed paths first: a category slug can never shadow them (see RESERVED_SLUGS).
    path("search/", reading.search_view, name="search"),
    path("new/", reading.new_topics, name="new-topics"),
    path("uploads/", writing.image_upload, name="image-upload"),
    path("moderation/", moderation.moderation_queue, name="moderation-queue"),
    path("moderation/log/", moderation.moderation_log, name="moderation-log"),
    path("moderation/p/<int:post_id>/dismiss/", moderation.report_dismiss, name="report-dismiss"),
    path("t/<int:topic_id>-<slug:slug>/", reading.topic_detail, name="topic-detail"),
    path("t/<int:topic_id>/", reading.topic_redirect, name="topic-redirect"),
    path("t/<int:topic_id>/reply/", writing.topic_reply, name="topic-reply"),
    path("t/<int:topic_id>/unread/", reading.topic_unread, name="topic-unread"),
    path("t/<int:topic_id>/edit/", writing.topic_edit, name="topic-edit"),
    path("t/<int:topic_id>/watch/", member_actions.topic_watch, name="topic-watch"),
    path("t/<int:topic_id>/summary/", writing.summary_edit, name="topic-summary"),
    path("t/<int:topic_id>/move/", moderation.topic_move, name="topic-move"),
    path("t/<int:topic_id>/split/", moderation.topic_split, name="topic-split"),
    path("t/<int:topic_id>/feed/", feeds.TopicFeed(), name="topic-feed"),
    path(
        "t/<int:topic_id>/moderate/<slug:action>/", moderation.topic_moderate, name="topic-moderate"
    ),
    path("p/<int:post_id>/", reading.post_permalink, name="post-permalink"),
    path("p/<int:post_id>/history/", reading.post_history, name="post-history"),
    path("p/<int:post_id>/edit/", writing.post_edit, name="post-edit"),
    path("p/<int:post_id>/react/", member_actions.post_react, name="post-react"),
    path("p/<int:post_id>/report/", member_actions.post_report, name="post-report"),
    path("p/<int:post_id>/delete/", member_actions.post_delete, name="post-delete"),
    path("p/<int:post_id>/moderate/<slug:action>/", moderation.post_moderate, name="post-moderate"),
    path("<slug:slug>/", reading.category_detail, name="category-detail"),
    path("<slug:slug>/new/", writing.topic_create, name="topic-create"),
    path("<slug:slug>/watch/", member_actions.category_watch, name="category-watch"),
    path("<slug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
]
