"""What members do to posts and topics besides writing: react, report, delete their own
post, watch a topic or a category."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import forms, services
from forums.models import ReactionKind, State
from forums.views.lookups import category_or_404, post_or_404, readable_post_or_404, topic_or_404
from profiles.permissions import member_required


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
    post = post_or_404(request, post_id)
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
    post = readable_post_or_404(request, post_id)
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
    """An author deletes their own post (a reason is optional); a moderator anyone's."""
    post = readable_post_or_404(request, post_id)
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
    topic = topic_or_404(request, topic_id)
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
    category = category_or_404(request, slug)
    watching = request.POST.get("watch") == "1"
    services.set_watching(member=request.user, category=category, watching=watching)
    if watching:
        messages.success(request, _("New topics in this category will notify you."))
    else:
        messages.success(request, _("You stopped watching this category."))
    return redirect(category)
