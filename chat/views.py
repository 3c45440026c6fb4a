"""Chat pages: everything works without JavaScript; room.js makes the room page live."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chat import permissions, selectors, services
from chat.forms import MessageForm, MuteForm, SlowModeForm
from chat.models import Room
from profiles.models import User
from profiles.permissions import member_required


def _room_for(request: HttpRequest, slug: str) -> Room:
    room = selectors.get_room(slug=slug)
    if room is None or not permissions.can_see(request.user, room):
        raise Http404  # a room you may not know of looks like no room at all
    if not permissions.can_enter(request.user, room):
        raise PermissionDenied
    return room


@member_required
def room_list(request: HttpRequest) -> HttpResponse:
    services.ensure_category_rooms()
    rooms = selectors.list_rooms(viewer=request.user)
    return render(request, "chat/room_list.html", {"rooms": rooms})


def _before(request: HttpRequest) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() else None


@member_required
def room_detail(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room_for(request, slug)
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.post_message(room=room, author=request.user, **form.cleaned_data)
            except PermissionDenied as error:
                form.add_error("body", str(error) or _("You cannot post in this room."))
            except ValidationError as error:
                form.add_error("body", error)
            else:
                return redirect(room)
        status = 400  # re-rendered with what was typed, so nothing is lost
    else:
        form = MessageForm(initial={"client_id": services.new_client_id()})
    before = _before(request)
    page = selectors.list_messages(viewer=request.user, room=room, before=before)
    if before is None and page.messages:
        services.mark_read(room=room, member=request.user, last_id=page.messages[-1].pk)
    can_moderate = permissions.can_moderate(request.user, room)
    context = {
        "room": room,
        "chat_messages": page.messages,
        "older": page.older,
        "is_latest": before is None,
        "last_id": page.messages[-1].pk if page.messages and before is None else 0,
        "form": form,
        "can_moderate": can_moderate,
        "can_post": room.is_open or can_moderate,
        "mute": permissions.active_mute(request.user, room),
        "mute_form": MuteForm() if can_moderate else None,
        "slow_form": SlowModeForm(initial={"seconds": room.slow_mode_seconds})
        if can_moderate
        else None,
        "other": next((p for p in room.participants.all() if p.pk != request.user.pk), None)
        if room.is_direct
        else None,
    }
    return render(request, "chat/room_detail.html", context, status=status)


@require_POST
@member_required
def message_delete(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    room = _room_for(request, slug)
    try:
        services.delete_message(room=room, message_id=message_id, actor=request.user)
    except ValidationError as error:
        if error.code == "not_found":
            raise Http404 from error
        raise
    messages.success(request, _("The message was deleted."))
    return redirect(room)


@require_POST
@member_required
def room_moderate(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room_for(request, slug)
    if not permissions.can_moderate(request.user, room):
        raise PermissionDenied
    action = request.POST.get("action", "")
    try:
        if action in ("mute", "unmute"):
            form = MuteForm(
                request.POST if action == "mute" else {**request.POST.dict(), "minutes": 1}
            )
            if not form.is_valid():
                raise ValidationError(_("Give a member and a number of minutes."), code="invalid")
            member = User.objects.filter(username=form.cleaned_data["username"]).first()
            if member is None:
                raise ValidationError(_("There is no such member."), code="invalid")
            if action == "mute":
                services.mute_member(
                    room=room,
                    moderator=request.user,
                    member=member,
                    minutes=form.cleaned_data["minutes"],
                )
                messages.success(request, _("%(name)s is muted here.") % {"name": member.name})
            else:
                services.unmute_member(room=room, moderator=request.user, member=member)
                messages.success(request, _("%(name)s may post again.") % {"name": member.name})
        elif action == "slow_mode":
            form = SlowModeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give a number of seconds."), code="invalid")
            services.set_slow_mode(
                room=room, moderator=request.user, seconds=form.cleaned_data["seconds"]
            )
            messages.success(request, _("Slow mode updated."))
        elif action in ("close", "open"):
            services.set_room_open(room=room, moderator=request.user, is_open=action == "open")
            messages.success(
                request, _("The room is open.") if action == "open" else _("The room is closed.")
            )
        else:
            raise ValidationError(_("Unknown moderation action."), code="invalid")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(room)


@require_POST
@member_required
def direct_open(request: HttpRequest, username: str) -> HttpResponse:
    other = get_object_or_404(User, username=username)
    try:
        room = services.open_direct_room(member=request.user, other=other)
    except ValidationError as error:
        if error.code == "not_found":
            raise Http404 from error
        messages.error(request, " ".join(error.messages))
        return redirect(other)
    except PermissionDenied:
        # The same answer whoever blocked whom: a block is not announced.
        messages.error(request, _("You cannot message this member."))
        return redirect("chat:room-list")
    return redirect(room)
