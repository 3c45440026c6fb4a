"""What several writes about members share: emails in the member's language, stored
files, and asking chat sockets to check access again."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from network.languages import site_name
from notifications.selectors import preferred_language
from profiles.models import (
    User,
)


def email_member(*, member: User, template: str, context: dict) -> None:
    """Send `template` (subject + body) to the member, in their language, once the
    transaction commits."""
    context = {"member": member, "site_name": site_name(), **context}
    with translation.override(preferred_language(member)):
        subject = render_to_string(f"profiles/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"profiles/email/{template}_message.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    )


def delete_files(names: list[str]) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def recheck_sockets(user_ids: list[int]) -> None:
    # Chat sockets re-check access once this commits (blocks, suspensions, hiding).
    from chat.services import recheck_member_sockets

    recheck_member_sockets(user_ids=user_ids)
