"""Who may do what with members: the only place these rules live.

Roles go through one helper each (`is_member`, `is_moderator`, `is_facilitator`); members-only
views use `@member_required`, moderation views `@moderator_required`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from profiles.models import Block, Connection, User

AnyUser = User | AnonymousUser


def is_member(user: AnyUser | None) -> bool:
    """Signed in, active and approved: may see members-only things."""
    return bool(user and user.is_authenticated and user.is_approved)


def is_moderator(user: AnyUser | None) -> bool:
    return is_member(user) and (user.is_moderator or user.is_superuser)


def is_facilitator(user: AnyUser | None) -> bool:
    return is_member(user) and (user.is_facilitator or is_moderator(user))


def may_moderate_members(user: AnyUser | None) -> bool:
    return is_moderator(user)


def is_blocked_between(a: AnyUser | None, b: AnyUser | None) -> bool:
    """True when either member blocked the other."""
    if not (a and b and a.is_authenticated and b.is_authenticated) or a.pk == b.pk:
        return False
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def has_blocked(blocker: AnyUser | None, blocked: AnyUser | None) -> bool:
    if not (blocker and blocked and blocker.is_authenticated and blocked.is_authenticated):
        return False
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def are_connected(a: AnyUser | None, b: AnyUser | None) -> bool:
    if not (a and b and a.is_authenticated and b.is_authenticated):
        return False
    return Connection.objects.filter(
        Q(from_user=a, to_user=b) | Q(from_user=b, to_user=a),
        state=Connection.State.ACCEPTED,
    ).exists()


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and approved; others go to the sign-in page or the waiting page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_member(user):
            return redirect("membership-waiting")
        return view(request, *args, **kwargs)

    return wrapper


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An approved moderator; a member who is not one gets a 404, as if nothing were there."""

    @wraps(view)
    @member_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_moderator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
