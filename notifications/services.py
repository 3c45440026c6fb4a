"""Every write about notifications: storing, reading, email preferences and sending emails.

notify() is what other apps call. Emails leave after the database has recorded them as sent
(so two runs of the sending command, or the command and a request, never send one twice); a
failed send puts them back as due for the next run.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _

from notifications import emails, protocol, selectors
from notifications.models import (
    DEFAULT_DELIVERY,
    EMAIL_KINDS,
    Delivery,
    Digest,
    EmailPreference,
    EmailStatus,
    Kind,
    Notification,
)
from profiles.models import User
from profiles.permissions import is_blocked_between, is_member

logger = logging.getLogger(__name__)

# An email due "at once" is sent when the notification commits; the sending command retries
# those still due after this long (the mail server was down), never racing a fresh one.
RETRY_AFTER = timedelta(minutes=5)
DIGEST_MAX_ITEMS = 50  # listed in one digest; the rest are counted and linked


def _interpolate(message: str, params: dict) -> str:
    return _(message) % {key: str(value) for key, value in params.items()}


def text_for_recipient(message: str, /, **params) -> Promise:
    """`gettext(message) % params`, translated only when notify() stores it: in the recipient's
    language, not the language of whoever caused it. Mark `message` with gettext_noop; params
    may be lazy too (a taxonomy label as gettext_lazy(name))."""
    return lazy(_interpolate, str)(message, params)


def unread_count(*, member: User) -> int:
    return selectors.unread_count(viewer=member)


def notify(
    *,
    recipient: User,
    kind: str,
    text: str | Promise,
    url: str = "",
    actor: User | None = None,
    once_key: str = "",
) -> Notification | None:
    """Store a notification; push it live and email it (if the member wants that at once)
    once the transaction commits.

    Nothing is stored for a recipient who is not a member, for one's own actions, between
    members where either blocked the other, or when `once_key` was already used for this
    recipient (so a job that runs twice notifies once).

    The text is stored as the recipient reads it: give a lazy text (text_for_recipient,
    gettext_lazy) and it is translated into their language here.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    if not is_member(recipient) or (actor is not None and actor.pk == recipient.pk):
        return None
    if actor is not None and is_blocked_between(actor, recipient):
        return None
    delivery = selectors.get_delivery(member=recipient, kind=kind)
    with translation.override(selectors.preferred_language(recipient)):
        text = str(text)
    fields = {
        "recipient": recipient,
        "actor": actor,
        "kind": kind,
        "text": text[:300],
        "url": _site_path(url)[:500],
        "once_key": once_key[:120],
        "email_status": EmailStatus.NONE if delivery == Delivery.NEVER else EmailStatus.DUE,
    }
    if once_key:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        notification = Notification.objects.create(**fields)
    transaction.on_commit(lambda: _push_notification(notification), robust=True)
    if delivery == Delivery.IMMEDIATELY:
        notification_id = notification.id
        transaction.on_commit(
            lambda: send_notification_email(notification_id=notification_id), robust=True
        )
    return notification


def _site_path(url: str) -> str:
    """Only paths on this site are stored: a notification never links elsewhere."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


@transaction.atomic
def mark_read(*, member: User, notification_id: int) -> Notification:
    """Mark one of the member's notifications read; another member's does not exist."""
    notification = Notification.objects.filter(recipient=member, pk=notification_id).first()
    if notification is None:
        raise ObjectDoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _push_unread(member), robust=True)
    return notification


@transaction.atomic
def mark_all_read(*, member: User, up_to: int | None = None) -> int:
    """Mark read every unread notification of the member, up to id `up_to` when given (the
    newest the member saw: what arrived after the page was drawn stays unread)."""
    rows = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if up_to is not None:
        rows = rows.filter(id__lte=up_to)
    count = rows.update(read_at=timezone.now())
    if count:
        transaction.on_commit(lambda: _push_unread(member), robust=True)
    return count


@transaction.atomic
def set_email_preferences(*, member: User, deliveries: dict[str, str]) -> None:
    """Store how the member wants each kind by email; kinds not given keep their setting."""
    for kind, delivery in deliveries.items():
        if kind not in EMAIL_KINDS or delivery not in Delivery.values:
            raise ValidationError(_("Choose one of the offered options."), code="invalid")
    for kind, delivery in deliveries.items():
        EmailPreference.objects.update_or_create(
            member=member, kind=kind, defaults={"delivery": delivery}
        )
    stopped = [kind for kind, delivery in deliveries.items() if delivery == Delivery.NEVER]
    _forget_due(member=member, kinds=stopped)


@transaction.atomic
def unsubscribe(*, member: User, scope: str) -> list[str]:
    """Stop the emails an unsubscribe link names: one kind, or everything in the digest.

    Returns the kinds stopped. Harmless to repeat (mail providers may post twice).
    """
    if scope == emails.DIGEST_SCOPE:
        current = selectors.get_email_preferences(member=member)
        kinds = [kind for kind, delivery in current.items() if delivery == Delivery.DAILY]
    else:
        kinds = [scope] if scope in EMAIL_KINDS else []
    set_email_preferences(member=member, deliveries=dict.fromkeys(kinds, Delivery.NEVER))
    return kinds


def _forget_due(*, member: User, kinds: list[str]) -> None:
    if kinds:
        Notification.objects.filter(
            recipient=member, kind__in=kinds, email_status=EmailStatus.DUE
        ).update(email_status=EmailStatus.NONE)


def send_notification_email(*, notification_id: int) -> bool:
    """Email one notification now if it is still due and the member wants it at once.

    Runs outside any transaction (on commit, or from the command). Returns True if sent.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_status=EmailStatus.DUE)
            .first()
        )
        if notification is None:
            return False  # already sent, or nothing to send
        member = notification.recipient
        delivery = selectors.get_delivery(member=member, kind=notification.kind)
        if delivery == Delivery.DAILY and is_member(member):
            return False  # the member switched to the digest: it goes there
        if delivery == Delivery.NEVER or not is_member(member) or notification.read_at:
            notification.email_status = EmailStatus.NONE
            notification.save(update_fields=["email_status"])
            return False
        notification.email_status = EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_status", "emailed_at"])
    try:
        emails.notification_email(notification).send()
    except Exception:  # the mail server is down: due again, the command retries
        logger.exception("Could not email notification %s", notification_id)
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENT).update(
            email_status=EmailStatus.DUE, emailed_at=None
        )
        return False
    return True


def _deliveries_for(member_ids: set[int]) -> dict[int, dict[str, str]]:
    """{member id: {kind: delivery}} for many members in one query."""
    chosen: dict[int, dict[str, str]] = defaultdict(dict)
    for member_id, kind, delivery in EmailPreference.objects.filter(
        member_id__in=member_ids
    ).values_list("member_id", "kind", "delivery"):
        chosen[member_id][kind] = delivery
    return {
        member_id: {
            kind: chosen[member_id].get(kind, DEFAULT_DELIVERY[kind]) for kind in EMAIL_KINDS
        }
        for member_id in member_ids
    }


def send_missed_emails(*, now: datetime) -> int:
    """Send the "at once" emails a failed send left due. Safe to run twice: each is locked
    and marked sent before it leaves."""
    due = list(
        Notification.objects.filter(
            email_status=EmailStatus.DUE, created_at__lt=now - RETRY_AFTER
        ).values_list("id", "recipient_id", "kind")
    )
    deliveries = _deliveries_for({recipient_id for _id, recipient_id, _kind in due})
    sent = 0
    for notification_id, recipient_id, kind in due:
        if deliveries[recipient_id].get(kind, Delivery.NEVER) == Delivery.DAILY:
            continue  # waits for the digest
        sent += send_notification_email(notification_id=notification_id)
    return sent


def send_due_digests(*, now: datetime) -> int:
    """Send each member who has digest notifications due their daily digest, at most one
    per member and (UTC) day, whoever runs this and however often. Returns how many."""
    day = now.date()
    waiting = set(
        Notification.objects.filter(email_status=EmailStatus.DUE, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    waiting -= set(
        Digest.objects.filter(day=day, recipient_id__in=waiting).values_list(
            "recipient_id", flat=True
        )
    )
    deliveries = _deliveries_for(waiting)
    sent = 0
    for member in User.objects.filter(pk__in=waiting).select_related("profile").order_by("pk"):
        sent += _send_digest(member=member, day=day, now=now, deliveries=deliveries[member.pk])
    return sent


def _send_digest(*, member: User, day, now: datetime, deliveries: dict[str, str]) -> bool:
    daily = [kind for kind, delivery in deliveries.items() if delivery == Delivery.DAILY]
    never = [kind for kind, delivery in deliveries.items() if delivery == Delivery.NEVER]
    with transaction.atomic():
        due = Notification.objects.select_for_update().filter(
            recipient=member, email_status=EmailStatus.DUE, created_at__lte=now
        )
        if not is_member(member):
            due.update(email_status=EmailStatus.NONE)
            return False
        # What the member stopped, or already read on the site, needs no email.
        due.filter(kind__in=never).update(email_status=EmailStatus.NONE)
        due.filter(kind__in=daily, read_at__isnull=False).update(email_status=EmailStatus.NONE)
        items = list(due.filter(kind__in=daily, read_at__isnull=True).order_by("id"))
        if not items:
            return False
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    recipient=member, day=day, sent_at=now, item_count=len(items)
                )
        except IntegrityError:
            return False  # another run sent today's digest a moment ago
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            email_status=EmailStatus.SENT, emailed_at=now, digest=digest
        )
    try:
        emails.digest_email(
            member=member, notifications=items[:DIGEST_MAX_ITEMS], total=len(items)
        ).send()
    except Exception:  # the mail server is down: undo, so the next run sends this digest
        logger.exception("Could not email the digest of member %s", member.pk)
        with transaction.atomic():
            Notification.objects.filter(digest=digest).update(
                email_status=EmailStatus.DUE, emailed_at=None, digest=None
            )
            digest.delete()
        return False
    return True


def _push(member_id: int, frame: dict) -> None:
    async_to_sync(get_channel_layer().group_send)(
        protocol.member_group(member_id), {"type": "notify.frame", "frame": frame}
    )


def _push_notification(notification: Notification) -> None:
    frame: protocol.NotificationFrame = {
        "type": "notification",
        "id": notification.id,
        "kind": notification.kind,
        "kind_label": str(Kind(notification.kind).label),
        "text": notification.text,
        "url": notification.url,
        "created": notification.created_at.isoformat(),
        "unread": selectors.unread_count(viewer=notification.recipient),
    }
    _push(notification.recipient_id, dict(frame))


def _push_unread(member: User) -> None:
    frame: protocol.UnreadFrame = {
        "type": "unread",
        "unread": selectors.unread_count(viewer=member),
    }
    _push(member.pk, dict(frame))
