"""iCalendar (RFC 5545) feeds: one workshop, and a member's own workshops behind a token.

Times are written in UTC ("…Z"), which every calendar application reads the same way and
which needs no VTIMEZONE; each event also names the workshop's own zone for the reader.
"""

from datetime import UTC, datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from profiles.permissions import member_required
from workshops import permissions, selectors
from workshops.models import Workshop

PRODUCT_ID = "-//SE4U Stakeholder Network//Workshops//EN"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def workshop_event(workshop: Workshop, *, request: HttpRequest, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(workshop.starts_at))
    event.add("dtend", _utc(workshop.ends_at))
    event.add("created", _utc(workshop.created_at))
    event.add("summary", workshop.title)
    url = request.build_absolute_uri(workshop.get_absolute_url())
    event.add("url", url)
    lines = [
        workshop.description.strip(),
        _("Time zone of the workshop: %(zone)s") % {"zone": workshop.time_zone},
        url,
    ]
    event.add("description", "\n\n".join(line for line in lines if line))
    if workshop.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def build_calendar(
    workshops: list[Workshop], *, request: HttpRequest, name: str, stamp: datetime | None = None
) -> bytes:
    stamp = stamp or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for workshop in workshops:
        calendar.add_component(workshop_event(workshop, request=request, stamp=stamp))
    return calendar.to_ical()


def _ics(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@member_required
def workshop_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """/workshops/<slug>.ics: one workshop, to add to a calendar."""
    workshop = Workshop.objects.filter(slug=slug).first()
    if workshop is None or not permissions.can_see(request.user, workshop):
        raise Http404
    body = build_calendar([workshop], request=request, name=workshop.title)
    return _ics(body, filename=f"{workshop.slug}.ics")


@require_GET
def member_calendar(request: HttpRequest) -> HttpResponse:
    """/workshops/calendar.ics?token=…: the workshops a member takes part in.

    Calendar applications fetch it without signing in, so the token is the only key; an
    unknown or reset token answers 404, like a page that does not exist.
    """
    member = selectors.get_member_by_calendar_token(token=request.GET.get("token", ""))
    if member is None:
        raise Http404
    workshops = selectors.list_calendar(member=member)
    body = build_calendar(workshops, request=request, name=_("My SE4U workshops"))
    return _ics(body, filename="workshops.ics")
