"""Forum pages: request in, a selector or service call, template out.

Every form works without JavaScript: "Preview" and "Upload image" are submit buttons of the
same form, which re-renders with the preview or the image's Markdown added.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from forums import forms, permissions, rendering, search, selectors, services
from forums.models import ModerationAction, Post, ReactionKind, State, page_of
from profiles.permissions import is_member, member_required, moderator_required

# Categories and topic lists --------------------------------------------------------------


def _since(request: HttpRequest):
    """The viewer's "new since your last visit" cut-off (members only)."""
    if not is_member(request.user):
        return None
    return services.record_visit(member=request.user)


@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    since = _since(request)
    categories = selectors.list_categories(viewer=request.user, since=since)
    # One flat loop (each top-level category, then its subcategories): no include per row.
    rows = [row for category in categories for row in (category, *category.subcategories)]
    context = {"categories": categories, "rows": rows, "since": since}
    return render(request, "forums/category_list.html", context)


@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.get_category(viewer=request.user, slug=slug)
    if category is None:
        raise Http404  # a category you may not read looks like no category at all
    since = _since(request)
    listing = selectors.list_topics(
        viewer=request.user, category=category, cursor=request.GET.get("after", ""), since=since
    )
    context = {
        "category": category,
        "topics": listing.topics,
        "next_cursor": listing.next_cursor,
        "is_first_page": not request.GET.get("after"),
        "can_post": permissions.can_post(request.user, category),
        "can_watch": permissions.can_watch(request.user, category),
        "is_watching": is_member(request.user)
        and category.subscriptions.filter(user=request.user).exists(),
        "has_feed": permissions.has_feed(category),
    }
    return render(request, "forums/category_detail.html", context)


@member_required
@require_GET
def new_topics(request: HttpRequest) -> HttpResponse:
    since = _since(request)
    listing = selectors.list_new_topics(
        viewer=request.user, since=since, cursor=request.GET.get("after", "")
    )
    context = {"topics": listing.topics, "next_cursor": listing.next_cursor, "since": since}
    return render(request, "forums/new_topics.html", context)


# Composing (topics, replies, edits, summaries) -------------------------------------------


def _compose(request: HttpRequest, form_class, *, initial=None, **form_kwargs):
    """Bind the form; handle the Preview and Upload image buttons (which never save).

    Returns (form, preview_html, submitted): `submitted` is True when the member pressed the
    main button and the form is valid.
    """
    if request.method != "POST":
        return form_class(initial=initial, **form_kwargs), None, False
    data = request.POST.copy()
    action = data.get("action", "submit")
    if action == "upload" and request.FILES.get("image"):
        try:
            image = services.upload_image(uploader=request.user, upload=request.FILES["image"])
        except ValidationError as error:
            form = form_class(data, **form_kwargs)
            form.is_valid()
            form.add_error("image", error)
            return form, None, False
        body = data.get("body", "").rstrip()
        data["body"] = f"{body}\n\n{services.image_markdown(image)}\n".lstrip()
        messages.success(request, _("Image uploaded: it is in your message below."))
        return form_class(data, **form_kwargs), None, False
    form = form_class(data, **form_kwargs)
    if action == "preview":
        form.is_valid()
        html = services.preview(author=request.user, body=data.get("body", ""))
        return form, mark_safe(html), False  # noqa: S308 - sanitised by the Markdown renderer
    return form, None, form.is_valid()


def _service_errors(form, error: ValidationError, field: str = "body") -> None:
    if error.code == "rate_limited":
        form.add_error(None, error)
    else:
        form.add_error(field if field in form.fields else None, error)


@member_required
def topic_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.get_category(viewer=request.user, slug=slug)
    if category is None:
        raise Http404
    if not permissions.can_post(request.user, category):
        raise PermissionDenied
    form, preview, submitted = _compose(request, forms.TopicForm)
    if submitted:
        try:
            topic = services.create_topic(
                author=request.user,
                category=category,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            _service_errors(form, error, getattr(error, "field", "body"))
        else:
            return redirect(topic)
    context = {"category": category, "form": form, "preview": preview}
    return render(request, "forums/topic_form.html", context)


def _topic_or_404(request: HttpRequest, topic_id: int, page: int | None = None):
    topic = selectors.get_topic(viewer=request.user, topic_id=topic_id, page=page)
    if topic is None:
        raise Http404
    return topic


@member_required
def topic_reply(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _topic_or_404(request, topic_id)
    if not topic.rights.reply:
        if topic.is_locked:
            messages.error(request, _("This topic is locked: it takes no more replies."))
            return redirect(topic)
        raise PermissionDenied
    initial = None
    quote_id = request.GET.get("quote", "")
    if quote_id.isdigit():
        quoted = selectors.get_post(viewer=request.user, post_id=int(quote_id))
        if quoted and quoted.topic_id == topic.id and quoted.state == State.VISIBLE:
            initial = {"body": services.quote_for_reply(post=quoted)}
    form, preview, submitted = _compose(request, forms.ReplyForm, initial=initial)
    if submitted:
        try:
            post = services.reply(author=request.user, topic=topic, body=form.cleaned_data["body"])
        except ValidationError as error:
            _service_errors(form, error)
        else:
            return redirect(f"{topic.page_url(page_of(post.number))}#post-{post.id}")
    return render(
        request, "forums/reply_form.html", {"topic": topic, "form": form, "preview": preview}
    )


@member_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None or not post.rights.can_see_content(post):
        raise Http404
    if not post.rights.can_edit(post):
        raise PermissionDenied
    form, preview, submitted = _compose(request, forms.EditPostForm, initial={"body": post.body})
    if submitted:
        try:
            services.edit_post(
                editor=request.user,
                post=post,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            return redirect(post.get_absolute_url())
    context = {"post": post, "topic": post.topic, "form": form, "preview": preview}
    return render(request, "forums/post_edit.html", context)


@member_required
def topic_edit(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _topic_or_404(request, topic_id)
    if not topic.rights.edit_topic:
        raise PermissionDenied
    initial = {"title": topic.title, "tags": ", ".join(topic.tags.names())}
    form = forms.EditTopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.edit_topic(
                editor=request.user,
                topic=topic,
                title=form.cleaned_data["title"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            form.add_error("title" if error.code == "required" else "tags", error)
        else:
            return redirect(topic)
    return render(request, "forums/topic_edit.html", {"topic": topic, "form": form})


@member_required
def summary_edit(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _topic_or_404(request, topic_id)
    if not topic.rights.summarise:
        raise PermissionDenied
    initial = {"body": topic.summary.body} if topic.summary else None
    form, preview, submitted = _compose(request, forms.SummaryForm, initial=initial)
    if submitted:
        try:
            services.write_summary(author=request.user, topic=topic, body=form.cleaned_data["body"])
        except ValidationError as error:
            _service_errors(form, error)
        else:
            return redirect(topic)
    return render(
        request, "forums/summary_form.html", {"topic": topic, "form": form, "preview": preview}
    )


@member_required
@require_POST
def image_upload(request: HttpRequest) -> JsonResponse:
    """For the editor script: store an image, answer with the Markdown to insert."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": _("Choose an image to upload.")}, status=400)
    try:
        image = services.upload_image(uploader=request.user, upload=upload)
    except ValidationError as error:
        status = 429 if error.code == "rate_limited" else 400
        return JsonResponse({"error": " ".join(error.messages), "code": error.code}, status=status)
    return JsonResponse(
        {"url": image.file.url, "markdown": services.image_markdown(image)}, status=201
    )


# Reading a topic -------------------------------------------------------------------------


def _page_links(page: int, count: int) -> list[int | None]:
    """Page numbers to offer: first, last, and two either side of the current (None = gap)."""
    wanted = {1, count, *range(page - 2, page + 3)}
    links, previous = [], 0
    for number in sorted(n for n in wanted if 1 <= n <= count):
        if number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


@require_GET
def topic_detail(request: HttpRequest, topic_id: int, slug: str) -> HttpResponse:
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 9 else 0
    topic = _topic_or_404(request, topic_id, page=page or None)
    if page < 1 or page > topic.page_count:
        raise Http404
    if slug != topic.slug:
        return redirect(topic.page_url(page), permanent=True)
    page_context = {
        "topic": topic,
        "page": page,
        "page_count": topic.page_count,
        "has_feed": permissions.has_feed(topic.category),
    }
    if not request.user.is_authenticated:
        # Visitors all see the same page: it is rendered once per topic revision.
        main_html = selectors.cached_fragment(
            selectors.page_key(topic, page, "visitor"),
            lambda: _topic_main(request, topic, page),
        )
        context = {**page_context, "main_html": main_html, "reply_form": None}
        return render(request, "forums/topic_detail.html", context)
    main_html = _topic_main(request, topic, page)
    context = {**page_context, "main_html": main_html, "reply_form": topic.rights.reply}
    return render(request, "forums/topic_detail.html", context)


def _topic_main(request: HttpRequest, topic, page: int) -> str:
    rows = selectors.topic_page(viewer=request.user, topic=topic, page=page)
    rights = topic.rights
    last_read = getattr(topic, "last_read", None)
    if rights.is_member and rows:
        services.mark_read(
            member=request.user, topic=topic, number=rows[-1].number, known=last_read
        )
    first_unread = next((row for row in rows if row.is_new), None)
    first_unread_id = first_unread.id if first_unread else None
    context = {
        "topic": topic,
        "category": topic.category,
        "posts_html": rendering.render_rows(
            request=request, topic=topic, rows=rows, rights=rights, first_unread_id=first_unread_id
        ),
        "rights": rights,
        "page": page,
        "page_count": topic.page_count,
        "page_links": _page_links(page, topic.page_count),
        "summary": selectors.summary_block(topic=topic),
        "first_unread_id": first_unread_id,
        "has_unread_elsewhere": (
            last_read is not None and last_read < topic.last_number and first_unread is None
        ),
        "reply_form": (
            rendering.reply_composer(request=request, topic=topic)
            if rights.reply and page == topic.page_count
            else None
        ),
        "has_feed": permissions.has_feed(topic.category),
        "tags": topic.tag_list,
    }
    return render_to_string("forums/partials/topic_main.html", context, request=request)


@require_GET
def topic_redirect(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _topic_or_404(request, topic_id)
    return redirect(topic)


@member_required
@require_GET
def topic_unread(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Jump to the first post the member has not read."""
    topic = _topic_or_404(request, topic_id)
    last_read = getattr(topic, "last_read", None) or 0
    if last_read >= topic.last_number:
        return redirect(topic.page_url(topic.page_count))
    return redirect(f"{topic.page_url(page_of(last_read + 1))}#unread")


@require_GET
def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    """The stable address of a post: wherever it is now (split, moved), it is found."""
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None:
        raise Http404
    return redirect(f"{post.topic.page_url(page_of(post.number))}#post-{post.id}")


@require_GET
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None or not post.rights.can_see_content(post):
        raise Http404
    context = {"post": post, "topic": post.topic, "revisions": selectors.list_revisions(post=post)}
    return render(request, "forums/post_history.html", context)


# Member actions --------------------------------------------------------------------------


def _back_to(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@member_required
@require_POST
def post_react(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None:
        raise Http404
    kind = request.POST.get("kind", "")
    if kind not in ReactionKind.values:
        return HttpResponse(_("Unknown reaction."), status=400)
    try:
        services.toggle_reaction(member=request.user, post=post, kind=kind)
    except PermissionDenied:
        messages.error(request, _("You cannot react to this post."))
    return _back_to(request, post.get_absolute_url())


@member_required
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None or not post.rights.can_see_content(post):
        raise Http404
    if not post.rights.can_report(post):
        raise PermissionDenied
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(reporter=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("detail", error)
        else:
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return redirect(post.get_absolute_url())
    return render(request, "forums/post_report.html", {"post": post, "form": form})


@member_required
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None or not post.rights.can_see_content(post):
        raise Http404
    if not post.rights.can_delete(post):
        raise PermissionDenied
    own = post.author_id == request.user.pk
    form_class = forms.OptionalReasonForm if own else forms.ReasonForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_post_state(
            actor=request.user, post=post, state=State.DELETED, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The post was deleted."))
        return redirect(reverse("forums:topic-redirect", kwargs={"topic_id": post.topic_id}))
    context = {"post": post, "form": form, "action": "delete", "own": own}
    return render(request, "forums/post_moderate.html", context)


@member_required
@require_POST
def topic_watch(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _topic_or_404(request, topic_id)
    watching = request.POST.get("watch") == "1"
    services.set_watching(member=request.user, topic=topic, watching=watching)
    if watching:
        messages.success(request, _("You are watching this topic: replies will notify you."))
    else:
        messages.success(request, _("You stopped watching this topic."))
    return _back_to(request, topic.get_absolute_url())


@member_required
@require_POST
def category_watch(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.get_category(viewer=request.user, slug=slug)
    if category is None:
        raise Http404
    watching = request.POST.get("watch") == "1"
    services.set_watching(member=request.user, category=category, watching=watching)
    if watching:
        messages.success(request, _("New topics in this category will notify you."))
    else:
        messages.success(request, _("You stopped watching this category."))
    return redirect(category)


# Search and feeds ------------------------------------------------------------------------


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    results, has_more, category, page = [], False, None, 1
    if form.is_valid():
        data = form.cleaned_data
        page = data["page"] or 1
        if data["category"]:
            category = selectors.get_category(viewer=request.user, slug=data["category"])
        if data["category"] and category is None:
            results = []  # a category the reader may not see finds nothing, as if absent
        else:
            results, has_more = search.search(
                viewer=request.user,
                q=data["q"],
                category=category,
                author=data["author"],
                tag=data["tag"],
                page=page,
            )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "results": results,
        "has_more": has_more and page < search.MAX_PAGES,
        "page": page,
        "query_string": query.urlencode(),
        "categories": selectors.moveable_categories(viewer=request.user),
        "searched": form.is_bound,
    }
    return render(request, "forums/search.html", context)


# Moderation ------------------------------------------------------------------------------


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
    topic = _topic_or_404(request, topic_id)
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
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None or action not in POST_ACTIONS:
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
    topic = _topic_or_404(request, topic_id)
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
    topic = _topic_or_404(request, topic_id)
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
        "page_links": _page_links(page, topic.page_count),
    }
    return render(request, "forums/topic_split.html", context)
