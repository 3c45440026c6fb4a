"""Moderation: the report queue and the log, and what moderators do to topics and posts
(pin, lock, hide, delete, restore, move, split), each asking why for the log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from forums import forms, selectors, services
from forums.models import ModerationAction, Post, State
from forums.views.lookups import post_or_404, topic_or_404
from forums.views.reading import page_links
from profiles.permissions import member_required, moderator_required


@moderator_required
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    posts = selectors.list_open_reports(viewer=request.user)
    return render(request, "forums/moderation_queue.html", {"reported_posts": posts})


@moderator_required
@require_GET
def moderation_log(request: HttpRequest) -> HttpResponse:
    before = request.GET.get("before", "")
    entries, next_before = selectors.list_moderation_log(
        viewer=request.user, before=int(before) if before.isdigit() else None
    )
    return render(
        request, "forums/moderation_log.html", {"entries": entries, "next_before": next_before}
    )


@moderator_required
@require_POST
def report_dismiss(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("topic__category"), pk=post_id)
    services.resolve_reports(moderator=request.user, post=post, resolution="dismissed")
    messages.success(request, _("Reports dismissed."))
    return redirect("forums:moderation-queue")


TOPIC_ACTIONS = {
    "pin": (ModerationAction.PIN, False),
    "unpin": (ModerationAction.UNPIN, False),
    "lock": (ModerationAction.LOCK, False),
    "unlock": (ModerationAction.UNLOCK, False),
    "hide": (ModerationAction.HIDE_TOPIC, True),
    "unhide": (ModerationAction.UNHIDE_TOPIC, True),
    "delete": (ModerationAction.DELETE_TOPIC, True),
    "restore": (ModerationAction.RESTORE_TOPIC, True),
}
# One whole sentence per action: the log labels ("hid a topic") do not fit inside another
# sentence in English, nor in languages where the participle agrees with "topic".
TOPIC_ACTION_DONE = {
    "pin": gettext_lazy("The topic is pinned."),
    "unpin": gettext_lazy("The topic is no longer pinned."),
    "lock": gettext_lazy("The topic is locked: no new replies."),
    "unlock": gettext_lazy("The topic is open for replies again."),
    "hide": gettext_lazy("The topic is hidden from members."),
    "unhide": gettext_lazy("The topic is visible again."),
    "delete": gettext_lazy("The topic is deleted."),
    "restore": gettext_lazy("The topic is restored."),
}


@member_required
def topic_moderate(request: HttpRequest, topic_id: int, action: str) -> HttpResponse:
    topic = topic_or_404(request, topic_id)
    if action not in TOPIC_ACTIONS:
        raise Http404
    if not topic.rights.moderate:
        raise PermissionDenied
    log_action, reason_required = TOPIC_ACTIONS[action]
    form_class = forms.ReasonForm if reason_required else forms.OptionalReasonForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        user = request.user
        if action in ("pin", "unpin"):
            services.set_pinned(moderator=user, topic=topic, pinned=action == "pin", reason=reason)
        elif action in ("lock", "unlock"):
            services.set_locked(moderator=user, topic=topic, locked=action == "lock", reason=reason)
        else:
            state = {"hide": State.HIDDEN, "delete": State.DELETED}.get(action, State.VISIBLE)
            services.set_topic_state(moderator=user, topic=topic, state=state, reason=reason)
        messages.success(request, TOPIC_ACTION_DONE[action])
        if action == "delete":
            return redirect(topic.category)
        return redirect(reverse("forums:topic-redirect", kwargs={"topic_id": topic.id}))
    context = {"topic": topic, "form": form, "action": action, "label": log_action.label}
    return render(request, "forums/topic_moderate.html", context)


POST_ACTIONS = {"hide": State.HIDDEN, "unhide": State.VISIBLE, "restore": State.VISIBLE}


@member_required
def post_moderate(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    post = post_or_404(request, post_id)
    if action not in POST_ACTIONS:
        raise Http404
    if not post.rights.moderate:
        raise PermissionDenied
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_post_state(
            actor=request.user, post=post, state=POST_ACTIONS[action], **form.cleaned_data
        )
        messages.success(request, _("Done."))
        return redirect(post.get_absolute_url())
    context = {"post": post, "form": form, "action": action, "own": False}
    return render(request, "forums/post_moderate.html", context)


@member_required
def topic_move(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = topic_or_404(request, topic_id)
    if not topic.rights.moderate:
        raise PermissionDenied
    categories = selectors.moveable_categories(viewer=request.user)
    form = forms.MoveForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_topic(moderator=request.user, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("category", error)
        else:
            return redirect(reverse("forums:topic-redirect", kwargs={"topic_id": topic.id}))
    return render(request, "forums/topic_move.html", {"topic": topic, "form": form})


@member_required
def topic_split(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = topic_or_404(request, topic_id)
    if not topic.rights.moderate:
        raise PermissionDenied
    raw_page = request.GET.get("page", "1")
    page = min(int(raw_page), topic.page_count) if raw_page.isdigit() and raw_page != "0" else 1
    posts = selectors.list_topic_posts_for_split(topic=topic, page=page)
    choices = [(post.id, f"#{post.number} {post.author.name}") for post in posts if post.number > 1]
    categories = selectors.moveable_categories(viewer=request.user)
    form = forms.SplitForm(
        request.POST or None,
        categories=categories,
        post_choices=choices,
        initial={"category": topic.category_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_topic = services.split_topic(
                moderator=request.user,
                topic=topic,
                post_ids=data["posts"],
                title=data["title"],
                category=data["category"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(new_topic)
    context = {
        "topic": topic,
        "form": form,
        "posts": posts,
        "page": page,
        "page_links": page_links(page, topic.page_count),
    }
    return render(request, "forums/topic_split.html", context)
