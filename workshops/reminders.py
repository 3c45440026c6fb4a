"""Workshop reminders, a day and a quarter of an hour before: a job of the notification
sending command (notifications/management/commands/send_notifications.py).

Safe to run as often as you like, even twice at once: each reminder of each workshop is
claimed by a row with a unique constraint in the same transaction that notifies, and each
notification carries a key of its own, so nobody is reminded twice.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.models import Kind
from notifications.services import notify
from workshops import selectors
from workshops.models import Reminder, ReminderSent, Workshop
from workshops.zones import format_in, member_zone

# Shortest lead first: a workshop already inside the short window gets only that reminder.
LEADS: list[tuple[str, timedelta]] = [
    (Reminder.SHORTLY_BEFORE, timedelta(minutes=15)),
    (Reminder.DAY_BEFORE, timedelta(hours=24)),
]


def send_due_reminders(*, now: datetime) -> int:
    """Remind the participants of workshops starting soon; return how many were notified."""
    sent = 0
    for reminder, lead in LEADS:
        for workshop in selectors.list_due_for_reminder(now=now, lead=lead).exclude(
            pk__in=ReminderSent.objects.filter(reminder=reminder).values("workshop_id")
        ):
            sent += _remind(workshop=workshop, reminder=reminder, now=now)
    return sent


def _claim(workshop: Workshop, reminder: str, now: datetime) -> ReminderSent | None:
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(workshop=workshop, reminder=reminder, sent_at=now)
    except IntegrityError:
        return None  # another run claimed it a moment ago


@transaction.atomic
def _remind(*, workshop: Workshop, reminder: str, now: datetime) -> int:
    claim = _claim(workshop, reminder, now)
    if claim is None:
        return 0
    if reminder == Reminder.SHORTLY_BEFORE:
        # Inside the last quarter of an hour the day-before reminder is moot: never send it.
        _claim(workshop, Reminder.DAY_BEFORE, now)
    stamp = int(workshop.starts_at.timestamp())
    count = 0
    for member in selectors.list_participants_to_notify(workshop=workshop):
        language = getattr(getattr(member, "profile", None), "preferred_language", None)
        with override(language or None):
            text = _reminder_text(workshop, reminder, member)
        if notify(
            recipient=member,
            kind=Kind.WORKSHOP_REMINDER,
            text=text,
            url=workshop.get_absolute_url(),
            # A new start time is a new reminder; the same one is never sent twice.
            once_key=f"workshop-reminder:{workshop.pk}:{reminder}:{stamp}",
        ):
            count += 1
    ReminderSent.objects.filter(pk=claim.pk).update(recipient_count=count)
    return count


def _reminder_text(workshop: Workshop, reminder: str, member) -> str:
    when = format_in(workshop.starts_at, member_zone(member))
    if reminder == Reminder.SHORTLY_BEFORE:
        message = _("“%(title)s” starts in 15 minutes (%(when)s).")
    else:
        message = _("Reminder: “%(title)s” starts on %(when)s (your time).")
    return message % {"title": workshop.title, "when": when}
