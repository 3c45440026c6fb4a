"""Connections between members, and blocks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.models import Kind
from notifications.services import notify, text_for_recipient
from profiles import permissions
from profiles.models import (
    Block,
    Connection,
    User,
)
from profiles.services.common import recheck_sockets
from profiles.services.directory import directory_changed


def _pair(a: User, b: User):
    return Connection.objects.filter(
        models.Q(from_user=a, to_user=b) | models.Q(from_user=b, to_user=a)
    )


@transaction.atomic
def request_connection(*, sender: User, recipient: User, note: str = "") -> Connection:
    """Ask `recipient` to connect; if they already asked `sender`, this accepts theirs.

    Refused (PermissionDenied) between blocked members, for non-members, and to oneself.
    """
    if not (permissions.is_member(sender) and permissions.is_member(recipient)):
        raise PermissionDenied
    if sender.pk == recipient.pk or permissions.is_blocked_between(sender, recipient):
        raise PermissionDenied
    existing = _pair(sender, recipient).select_for_update().first()
    if existing is not None:
        if existing.state == Connection.State.ACCEPTED:
            raise ValidationError(_("You are already connected."), code="already_connected")
        if existing.from_user_id == sender.pk:
            raise ValidationError(_("Your request is waiting for an answer."), code="pending")
        return accept_connection(member=sender, connection=existing)
    connection_ = Connection.objects.create(
        from_user=sender, to_user=recipient, note=note.strip()[:500]
    )
    notify(
        recipient=recipient,
        actor=sender,
        kind=Kind.CONNECTION_REQUEST,
        text=text_for_recipient(
            gettext_noop("%(name)s would like to connect with you."), name=sender.name
        ),
        url=reverse("profiles:connections"),
    )
    return connection_


@transaction.atomic
def accept_connection(*, member: User, connection: Connection) -> Connection:
    """The recipient accepts a pending request; the sender is told."""
    if connection.to_user_id != member.pk or connection.state != Connection.State.PENDING:
        raise PermissionDenied
    if permissions.is_blocked_between(connection.from_user, member):
        raise PermissionDenied
    connection.state = Connection.State.ACCEPTED
    connection.accepted_at = timezone.now()
    connection.save(update_fields=["state", "accepted_at"])
    notify(
        recipient=connection.from_user,
        actor=member,
        kind=Kind.CONNECTION_ACCEPTED,
        text=text_for_recipient(
            gettext_noop("%(name)s accepted your request to connect."), name=member.name
        ),
        url=member.get_absolute_url(),
    )
    directory_changed()
    return connection


@transaction.atomic
def decline_connection(*, member: User, connection: Connection) -> None:
    """The recipient declines a pending request; the sender is not told."""
    if connection.to_user_id != member.pk or connection.state != Connection.State.PENDING:
        raise PermissionDenied
    connection.delete()


@transaction.atomic
def withdraw_connection(*, member: User, connection: Connection) -> None:
    """The sender takes back a request that has not been answered."""
    if connection.from_user_id != member.pk or connection.state != Connection.State.PENDING:
        raise PermissionDenied
    connection.delete()


@transaction.atomic
def remove_connection(*, member: User, other: User) -> None:
    """Either side ends an accepted connection; connections-only fields close at once."""
    deleted, _rows = _pair(member, other).filter(state=Connection.State.ACCEPTED).delete()
    if not deleted:
        raise ValidationError(_("You are not connected."), code="not_connected")
    recheck_sockets([member.pk, other.pk])
    directory_changed()


@transaction.atomic
def block_member(*, blocker: User, blocked: User) -> Block:
    """Block a member: any connection or request between the two ends, and from now on the
    blocked member cannot message, mention, request or see the blocker's private fields."""
    if not permissions.is_member(blocker) or blocker.pk == blocked.pk:
        raise PermissionDenied
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    _pair(blocker, blocked).delete()
    recheck_sockets([blocker.pk, blocked.pk])
    directory_changed()
    return block


@transaction.atomic
def unblock_member(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    recheck_sockets([blocker.pk, blocked.pk])
    directory_changed()
