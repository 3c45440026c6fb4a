"""Workshop pages and the forms that run them; every change is a POST handled by a service."""

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums.permissions import can_read
from profiles.permissions import member_required
from workshops import forms, live, permissions, selectors, services
from workshops.models import Announcement, Question, Workshop
from workshops.zones import member_zone


def _workshop_or_404(request: HttpRequest, slug: str) -> Workshop:
    workshop = selectors.get_workshop(viewer=request.user, slug=slug)
    if workshop is None or not permissions.can_see(request.user, workshop):
        raise Http404
    return workshop


def _managed_or_403(request: HttpRequest, slug: str) -> Workshop:
    """A workshop the viewer runs: others see the workshop but may not run it (403)."""
    workshop = _workshop_or_404(request, slug)
    if not permissions.can_manage(request.user, workshop):
        raise PermissionDenied
    return workshop


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _parse_cursor(value: str) -> tuple[datetime, int] | None:
    starts, _sep, pk = value.rpartition("_")
    moment = parse_datetime(starts) if starts else None
    if moment is None or not pk.isdigit():
        return None
    return moment, int(pk)


@member_required
def workshop_list(request: HttpRequest) -> HttpResponse:
    before = _parse_cursor(request.GET.get("before", ""))
    past, next_key = selectors.list_past(viewer=request.user, before=before)
    context = {
        "upcoming": [] if before else selectors.list_upcoming(viewer=request.user),
        "past": past,
        "next_before": f"{next_key[0].isoformat()}_{next_key[1]}" if next_key else "",
        "is_older_page": before is not None,
        "viewer_zone": member_zone(request.user),
        "can_create": permissions.can_create(request.user),
        "calendar_token": selectors.get_calendar_token_value(member=request.user),
    }
    return render(request, "workshops/workshop_list.html", context)


@member_required
def workshop_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user):
        raise Http404
    initial = {"time_zone": str(member_zone(request.user)), "is_registration_open": True}
    form = forms.NewWorkshopForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.create_workshop(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop is scheduled."))
            return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": None})


@member_required
def workshop_edit(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _managed_or_403(request, slug)
    form = forms.WorkshopForm(
        request.POST or None, viewer=request.user, initial=forms.WorkshopForm.initial_for(workshop)
    )
    form.fields["facilitators"].required = True
    form.fields["facilitators"].help_text = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workshop(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop is updated."))
            return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": workshop})


@member_required
def workshop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    viewer = request.user
    room = workshop.room
    room_is_open = bool(room and room.is_open)
    can_manage = permissions.can_manage(viewer, workshop)
    category = live.archive_category(workshop) if can_manage else workshop.category
    context = {
        "workshop": workshop,
        "viewer_zone": member_zone(viewer),
        "is_registered": workshop.viewer_is_registered,
        "takes_part": workshop.viewer_takes_part,
        "can_register": permissions.can_register(viewer, workshop),
        "can_unregister": permissions.can_unregister(viewer, workshop),
        "can_manage": can_manage,
        "room_is_open": room_is_open,
        "can_enter_room": bool(room)
        and permissions.can_enter_room(viewer, workshop, room_is_open=room_is_open),
        "can_use_qa": permissions.can_use_qa(viewer, workshop),
        "announcements": selectors.list_pinned_announcements(workshop=workshop),
        "category": category if category and can_read(viewer, category) else None,
        "top_questions": (
            selectors.list_questions(viewer=viewer, workshop=workshop)[:5]
            if workshop.is_qa_enabled and permissions.can_use_qa(viewer, workshop)
            else []
        ),
    }
    if can_manage:
        participants = selectors.list_participants_to_notify(workshop=workshop)
        context |= {
            "slow_mode_form": forms.SlowModeForm(
                initial={"seconds": room.slow_mode_seconds if room else 0}
            ),
            "mute_form": forms.MuteForm(participants=participants),
            "announcement_form": forms.AnnouncementForm(),
            "registrations": selectors.list_registered(viewer=viewer, workshop=workshop),
        }
    return render(request, "workshops/workshop_detail.html", context)


@require_POST
@member_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    try:
        services.register(workshop=workshop, member=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied:
        messages.error(request, _("Registration is not open for you."))
    else:
        messages.success(request, _("You are registered. See you there!"))
    return redirect(workshop)


@require_POST
@member_required
def unregister(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    try:
        if services.unregister(workshop=workshop, member=request.user):
            messages.success(request, _("Your seat is given back."))
    except PermissionDenied:
        messages.error(request, _("This workshop has ended."))
    return redirect(workshop)


# Running a workshop -------------------------------------------------------------------------


def facilitator_action(action: Callable[..., str]) -> Callable[..., HttpResponse]:
    """Make `action(request, workshop, **kwargs)` a POST view for those running the workshop.

    Others get the 404 or 403 of `_managed_or_403`. The action calls a service and returns
    what to tell the facilitator; a refusal (a ValidationError, which is also how an action
    turns down its form, or the service's PermissionDenied) becomes an error message instead.
    Either way the facilitator is back on the workshop page.
    """

    @require_POST
    @member_required
    @wraps(action)
    def view(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        workshop = _managed_or_403(request, slug)
        try:
            done = action(request, workshop, **kwargs)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied:
            messages.error(request, _("You cannot do that in this workshop."))
        else:
            messages.success(request, done)
        return redirect(workshop)

    return view


@facilitator_action
def room_control(request: HttpRequest, workshop: Workshop) -> str:
    if request.POST.get("action") == "open":
        live.open_room(workshop=workshop, by=request.user)
        return _("The live room is open.")
    if request.POST.get("action") == "close":
        live.close_room(workshop=workshop, by=request.user)
        return _("The live room is closed.")
    raise ValidationError(_("Choose to open or to close the room."))


@facilitator_action
def slow_mode(request: HttpRequest, workshop: Workshop) -> str:
    form = forms.SlowModeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose one of the offered options."))
    seconds = form.cleaned_data["seconds"]
    live.set_slow_mode(workshop=workshop, by=request.user, seconds=seconds)
    return _("Slow mode is set.") if seconds else _("Slow mode is off.")


@facilitator_action
def mute(request: HttpRequest, workshop: Workshop) -> str:
    participants = selectors.list_participants_to_notify(workshop=workshop)
    form = forms.MuteForm(request.POST, participants=participants)
    if not form.is_valid():
        raise ValidationError(_("Choose a participant and a period."))
    member, minutes = form.cleaned_data["member"], form.cleaned_data["minutes"]
    if request.POST.get("action") == "unmute":
        live.unmute_participant(workshop=workshop, by=request.user, member=member)
        return _("%(name)s may post again.") % {"name": member.name}
    live.mute_participant(workshop=workshop, by=request.user, member=member, minutes=minutes)
    return _("%(name)s is muted in the live room.") % {"name": member.name}


@facilitator_action
def announcement_create(request: HttpRequest, workshop: Workshop) -> str:
    form = forms.AnnouncementForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Write the announcement first (at most 1000 characters)."))
    services.pin_announcement(workshop=workshop, by=request.user, body=form.cleaned_data["body"])
    return _("The announcement is pinned.")


@facilitator_action
def announcement_unpin(request: HttpRequest, workshop: Workshop, announcement_id: int) -> str:
    announcement = Announcement.objects.filter(workshop=workshop, pk=announcement_id).first()
    if announcement is None:
        raise Http404
    services.unpin_announcement(announcement=announcement, by=request.user)
    return _("The announcement is unpinned.")


@facilitator_action
def qa_mode(request: HttpRequest, workshop: Workshop) -> str:
    enabled = request.POST.get("enabled") == "1"
    services.set_qa_mode(workshop=workshop, by=request.user, enabled=enabled)
    return _("Q&A mode is on.") if enabled else _("Q&A mode is off.")


@facilitator_action
def end(request: HttpRequest, workshop: Workshop) -> str:
    live.end_workshop(workshop=workshop, by=request.user)
    return _("The workshop has ended; its transcript is in the forum.")


@facilitator_action
def cancel(request: HttpRequest, workshop: Workshop) -> str:
    services.cancel_workshop(workshop=workshop, by=request.user)
    return _("The workshop is cancelled.")


# Q&A ----------------------------------------------------------------------------------------


def _qa_workshop_or_404(request: HttpRequest, slug: str) -> Workshop:
    workshop = _workshop_or_404(request, slug)
    if not permissions.can_use_qa(request.user, workshop):
        raise Http404
    return workshop


@member_required
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The Q&A page: questions by votes, a form to ask; live with JavaScript."""
    workshop = _qa_workshop_or_404(request, slug)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_question(workshop=workshop, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("body", error)
        except PermissionDenied:
            form.add_error(None, _("Questions are closed."))
        else:
            messages.success(request, _("Your question is on the list."))
            return redirect("workshops:question-list", slug=workshop.slug)
    context = {
        "workshop": workshop,
        "questions": selectors.list_questions(viewer=request.user, workshop=workshop),
        "form": form,
        "can_ask": permissions.can_ask(request.user, workshop),
        "can_vote": permissions.can_vote(request.user, workshop),
        "can_answer": permissions.can_answer(request.user, workshop),
        "announcements": selectors.list_pinned_announcements(workshop=workshop),
        "socket_path": f"/ws/workshops/{workshop.slug}/",
        # Drawn once in a <template>: the script fills it in for questions asked live.
        "template_question": Question(id=0, workshop=workshop, vote_count=0),
    }
    return render(request, "workshops/question_list.html", context)


def _question_or_404(workshop: Workshop, question_id: int) -> Question:
    question = (
        Question.objects.select_related("workshop", "author")
        .filter(workshop=workshop, pk=question_id, hidden_at__isnull=True)
        .first()
    )
    if question is None:
        raise Http404
    return question


def _qa_redirect(workshop: Workshop) -> HttpResponse:
    return redirect("workshops:question-list", slug=workshop.slug)


@require_POST
@member_required
def question_vote(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    workshop = _qa_workshop_or_404(request, slug)
    question = _question_or_404(workshop, question_id)
    try:
        if request.POST.get("action") == "unvote":
            services.unvote(question=question, voter=request.user)
        else:
            services.vote(question=question, voter=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied:
        messages.error(request, _("Voting is closed."))
    return _qa_redirect(workshop)


@require_POST
@member_required
def question_answer(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    workshop = _qa_workshop_or_404(request, slug)
    question = _question_or_404(workshop, question_id)
    if not permissions.can_answer(request.user, workshop):
        raise PermissionDenied
    answered = request.POST.get("answered", "1") == "1"
    services.mark_answered(question=question, by=request.user, answered=answered)
    return _qa_redirect(workshop)


@require_POST
@member_required
def question_hide(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    workshop = _qa_workshop_or_404(request, slug)
    question = _question_or_404(workshop, question_id)
    if not permissions.can_answer(request.user, workshop):
        raise PermissionDenied
    services.hide_question(question=question, by=request.user)
    messages.success(request, _("The question is withdrawn from the list."))
    return _qa_redirect(workshop)


# Calendar -----------------------------------------------------------------------------------


@require_POST
@member_required
def calendar_token_reset(request: HttpRequest) -> HttpResponse:
    services.reset_calendar_token(member=request.user)
    messages.success(request, _("Your calendar address is new; the old one no longer works."))
    return redirect(reverse("workshops:workshop-list") + "#calendar")
