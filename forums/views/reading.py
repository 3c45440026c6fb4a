"""Reading the forums: categories, topic lists, a topic's pages, a post's history, search."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from forums import forms, permissions, rendering, search, selectors, services
from forums.models import Topic, page_of
from forums.views.lookups import category_or_404, post_or_404, readable_post_or_404, topic_or_404
from profiles.permissions import is_member, member_required

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
    category = category_or_404(request, slug)
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


# A topic's pages -------------------------------------------------------------------------


def page_links(page: int, count: int) -> list[int | None]:
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
    topic = topic_or_404(request, topic_id, page=page or None)
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


def _topic_main(request: HttpRequest, topic: Topic, page: int) -> str:
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
        "page_links": page_links(page, topic.page_count),
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
    topic = topic_or_404(request, topic_id)
    return redirect(topic)


@member_required
@require_GET
def topic_unread(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Jump to the first post the member has not read."""
    topic = topic_or_404(request, topic_id)
    last_read = getattr(topic, "last_read", None) or 0
    if last_read >= topic.last_number:
        return redirect(topic.page_url(topic.page_count))
    return redirect(f"{topic.page_url(page_of(last_read + 1))}#unread")


# Single posts ----------------------------------------------------------------------------


@require_GET
def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    """The stable address of a post: wherever it is now (split, moved), it is found."""
    post = post_or_404(request, post_id)
    return redirect(f"{post.topic.page_url(page_of(post.number))}#post-{post.id}")


@require_GET
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    post = readable_post_or_404(request, post_id)
    context = {"post": post, "topic": post.topic, "revisions": selectors.list_revisions(post=post)}
    return render(request, "forums/post_history.html", context)


# Search ----------------------------------------------------------------------------------


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
