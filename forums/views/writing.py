"""Writing in the forums: new topics, replies, edits, summaries, and images for them.

Every form works without JavaScript: "Preview" and "Upload image" are submit buttons of the
same form, which re-renders with the preview or the image's Markdown added.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import forms, permissions, selectors, services
from forums.models import State, page_of
from forums.views.lookups import category_or_404, readable_post_or_404, topic_or_404
from profiles.permissions import member_required


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
    category = category_or_404(request, slug)
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


@member_required
def topic_reply(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = topic_or_404(request, topic_id)
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
    post = readable_post_or_404(request, post_id)
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
    topic = topic_or_404(request, topic_id)
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
    topic = topic_or_404(request, topic_id)
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
