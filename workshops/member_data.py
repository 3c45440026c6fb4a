"""A member's workshop data, for the data export and account erasure in profiles.services.

Questions stay in the workshop's record (credited to a former member), like forum posts;
seats in workshops still to come are given back and the calendar feed address dies.
"""

from django.db import transaction
from django.utils import timezone

from workshops.models import CalendarToken, Question, Registration


def export_member_data(*, member) -> dict:
    registrations = Registration.objects.filter(member=member).select_related("workshop")
    questions = Question.objects.filter(author=member).select_related("workshop")
    return {
        "workshop_registrations": [
            {
                "workshop": r.workshop.title,
                "starts_at": r.workshop.starts_at.isoformat(),
                "registered_at": r.created_at.isoformat(),
            }
            for r in registrations.order_by("workshop__starts_at")
        ],
        "workshop_questions": [
            {
                "workshop": q.workshop.title,
                "created_at": q.created_at.isoformat(),
                "body": q.body,
            }
            for q in questions.order_by("id")
        ],
    }


@transaction.atomic
def erase_member_data(*, member) -> None:
    Registration.objects.filter(member=member, workshop__starts_at__gt=timezone.now()).delete()
    CalendarToken.objects.filter(member=member).delete()
