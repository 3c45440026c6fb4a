"""Actions between two members (connect, accept, decline, withdraw, remove, block,
unblock, report) and one's connections page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profiles import privacy, selectors, services
from profiles.forms import (
    ConnectForm,
    ReportForm,
)
from profiles.models import Connection, User
from profiles.permissions import member_required


def _other(username: str) -> User:
    return get_object_or_404(User, username=username)


def _back(request: HttpRequest, member: User) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "connections":
        return redirect("profiles:connections")
    return redirect(member)


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except PermissionDenied:
        messages.error(request, _("That is not possible."))
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@require_POST
@member_required
def connect(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    if privacy.see(request.user, other.profile) is None:
        raise Http404
    form = ConnectForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.request_connection(sender=request.user, recipient=other, note=note),
        _("Your request to connect was sent."),
    )
    return _back(request, other)


def _pending_request(sender: User, recipient: User) -> Connection:
    return get_object_or_404(
        Connection, from_user=sender, to_user=recipient, state=Connection.State.PENDING
    )


@require_POST
@member_required
def accept(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    request_ = _pending_request(other, request.user)
    _run(
        request,
        lambda: services.accept_connection(member=request.user, connection=request_),
        _("You are now connected with %(name)s.") % {"name": other.name},
    )
    return _back(request, other)


@require_POST
@member_required
def decline(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    request_ = _pending_request(other, request.user)
    _run(
        request,
        lambda: services.decline_connection(member=request.user, connection=request_),
        _("Request declined."),
    )
    return redirect("profiles:connections")


@require_POST
@member_required
def withdraw(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    request_ = _pending_request(request.user, other)
    _run(
        request,
        lambda: services.withdraw_connection(member=request.user, connection=request_),
        _("Request withdrawn."),
    )
    return _back(request, other)


@require_POST
@member_required
def remove(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    _run(
        request,
        lambda: services.remove_connection(member=request.user, other=other),
        _("Connection removed."),
    )
    return _back(request, other)


@require_POST
@member_required
def block(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    if other.pk == request.user.pk or privacy.see(request.user, other.profile) is None:
        raise Http404
    _run(
        request,
        lambda: services.block_member(blocker=request.user, blocked=other),
        _("%(name)s is blocked. They cannot contact you or see your private details.")
        % {"name": other.name},
    )
    return _back(request, other)


@require_POST
@member_required
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    _run(
        request,
        lambda: services.unblock_member(blocker=request.user, blocked=other),
        _("%(name)s is no longer blocked.") % {"name": other.name},
    )
    return _back(request, other)


@member_required
def report(request: HttpRequest, username: str) -> HttpResponse:
    view = selectors.get_member_profile(viewer=privacy.viewer_for(request.user), username=username)
    if view is None or view.is_self:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_member(reporter=request.user, member=view.user, **form.cleaned_data)
        messages.success(request, _("Thank you. The moderators will look at your report."))
        return redirect(view.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "profiles/report_member.html", {"view": view, "form": form}, status=status
    )


@member_required
def connections(request: HttpRequest) -> HttpResponse:
    overview = selectors.list_connections(member=request.user)
    return render(request, "profiles/connections.html", {"overview": overview})
