"""Composing notification emails and their unsubscribe links (sending is in services.py).

Every email carries a one-click unsubscribe link (RFC 8058): a signed token naming the
member and what to stop, so it works without signing in and cannot be altered to stop (or
read) another member's emails.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from network.languages import site_name
from notifications.models import Kind, Notification
from notifications.selectors import preferred_language
from profiles.models import User

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DIGEST_SCOPE = "digest"  # stops every kind the member gets in the daily digest


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def absolute(path: str) -> str:
    if not path:
        return site_url() + "/"
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def make_unsubscribe_token(*, member: User, scope: str) -> str:
    return signing.dumps({"m": member.pk, "s": scope}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(member id, scope) from a token we signed; None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    member_id, scope = data.get("m"), data.get("s")
    if not isinstance(member_id, int) or scope not in [*Kind.values, DIGEST_SCOPE]:
        return None
    return member_id, scope


def unsubscribe_url(*, member: User, scope: str) -> str:
    token = make_unsubscribe_token(member=member, scope=scope)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def _message(*, member: User, scope: str, template: str, context: dict) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(member=member, scope=scope)
    context = {
        "member": member,
        "site_name": site_name(),
        "settings_url": absolute(reverse("notifications:settings")),
        "unsubscribe_url": unsubscribe,
        **context,
    }
    language = preferred_language(member)
    with translation.override(language):
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}_message.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line: a newline would break the header
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
        },
    )


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    member = notification.recipient
    return _message(
        member=member,
        scope=notification.kind,
        template="notification",
        context={
            "notification": notification,
            "kind_label": Kind(notification.kind).label,
            "link": absolute(notification.url),
        },
    )


def digest_email(
    *, member: User, notifications: Sequence[Notification], total: int
) -> EmailMultiAlternatives:
    """The daily digest listing `notifications`, of `total` due (the rest are counted)."""
    items = [{"text": n.text, "link": absolute(n.url)} for n in notifications]
    return _message(
        member=member,
        scope=DIGEST_SCOPE,
        template="digest",
        context={
            "items": items,
            "count": total,
            "more": total - len(items),
            "list_url": absolute(reverse("notifications:list")),
        },
    )
