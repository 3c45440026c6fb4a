"""Input cleaning for workshops; views hand cleaned_data to the services, forms never save."""

import uuid
import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.forms.fields import BaseTemporalField
from django.utils.translation import gettext_lazy as _

from chat.services import MAX_MUTE_MINUTES, MAX_SLOW_MODE_SECONDS
from forums.models import Category
from forums.permissions import visible_categories
from profiles.models import Cohort, MembershipStatus, User
from workshops.models import (
    MAX_ANNOUNCEMENT,
    MAX_DESCRIPTION,
    MAX_QUESTION,
    MAX_TITLE,
    Workshop,
    time_zone_names,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format=LOCAL_INPUT, **kwargs)


class WallClockField(forms.DateTimeField):
    """A date and time as typed, with no zone yet: the form reads it in the zone chosen
    beside it (not the site's or the viewer's)."""

    widget = LocalDateTimeInput

    def __init__(self, **kwargs) -> None:
        super().__init__(input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"], **kwargs)

    def to_python(self, value) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return BaseTemporalField.to_python(self, value)


def _in_zone(naive: datetime, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """`naive` read in `zone`, or None when that wall-clock time does not exist there (the
    hour skipped when clocks go forward)."""
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return aware if round_trip == naive else None


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per item, e.g. “15:00 Welcome”. Markdown."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the workshop"),
        help_text=_("The start and end below are read in this zone."),
    )
    starts_at = WallClockField(label=_("Starts at"))
    ends_at = WallClockField(label=_("Ends at"))
    capacity = forms.IntegerField(
        label=_("Seats"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    is_registration_open = forms.BooleanField(
        label=_("Members may register"), required=False, initial=True
    )
    cohort = forms.ModelChoiceField(
        label=_("Training cohort taking part"),
        queryset=Cohort.objects.order_by("name"),
        required=False,
        help_text=_("All its members take part without registering."),
    )
    category = forms.ModelChoiceField(
        label=_("Forum category for the follow-up and the archive"),
        queryset=Category.objects.none(),
        required=False,
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("You facilitate the workshops you create."),
    )

    def __init__(self, *args, viewer: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]
        self.fields["category"].queryset = visible_categories(
            viewer, Category.objects.order_by("order", "name")
        )
        self.fields["facilitators"].queryset = User.objects.filter(
            status=MembershipStatus.APPROVED, is_active=True
        ).filter(is_facilitator=True) | User.objects.filter(
            status=MembershipStatus.APPROVED, is_active=True, is_moderator=True
        )
        self.fields["facilitators"].label_from_instance = lambda user: user.name

    @classmethod
    def initial_for(cls, workshop: Workshop) -> dict:
        zone = workshop.zone
        return {
            "title": workshop.title,
            "description": workshop.description,
            "agenda": workshop.agenda,
            "time_zone": workshop.time_zone,
            "starts_at": workshop.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": workshop.ends_at.astimezone(zone).replace(tzinfo=None),
            "capacity": workshop.capacity,
            "is_registration_open": workshop.is_registration_open,
            "cohort": workshop.cohort_id,
            "category": workshop.category_id,
            "facilitators": list(workshop.facilitators.values_list("pk", flat=True)),
        }

    def clean(self) -> dict:
        data = super().clean()
        name = data.get("time_zone")
        if not name:
            return data
        zone = zoneinfo.ZoneInfo(name)
        for field in ("starts_at", "ends_at"):
            naive = data.get(field)
            if naive is None:
                continue
            aware = _in_zone(naive, zone)
            if aware is None:
                self.add_error(
                    field, _("That time does not exist in this zone: the clocks change then.")
                )
            else:
                data[field] = aware
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A workshop ends after it starts."))
        return data


class NewWorkshopForm(WorkshopForm):
    create_private_category = forms.BooleanField(
        label=_("Make a private forum category for its participants"),
        required=False,
        help_text=_("Used instead of the category above."),
    )
    is_qa_enabled = forms.BooleanField(label=_("Start in Q&A mode"), required=False)


class SlowModeForm(forms.Form):
    CHOICES = [
        (0, _("off")),
        (10, _("10 seconds")),
        (30, _("30 seconds")),
        (60, _("1 minute")),
        (120, _("2 minutes")),
        (300, _("5 minutes")),
    ]
    seconds = forms.TypedChoiceField(
        label=_("Slow mode: one message per member every"), choices=CHOICES, coerce=int
    )

    def clean_seconds(self) -> int:
        seconds = self.cleaned_data["seconds"]
        if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
            raise forms.ValidationError(_("Choose one of the offered options."))
        return seconds


class MuteForm(forms.Form):
    CHOICES = [(5, _("5 minutes")), (15, _("15 minutes")), (60, _("1 hour")), (1440, _("1 day"))]
    member = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.none())
    minutes = forms.TypedChoiceField(label=_("For"), choices=CHOICES, coerce=int)

    def __init__(self, *args, participants, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = participants
        self.fields["member"].label_from_instance = lambda user: user.name

    def clean_minutes(self) -> int:
        minutes = self.cleaned_data["minutes"]
        if not 0 < minutes <= MAX_MUTE_MINUTES:
            raise forms.ValidationError(_("Choose one of the offered options."))
        return minutes


class AnnouncementForm(forms.Form):
    body = forms.CharField(
        label=_("Announcement to pin"),
        max_length=MAX_ANNOUNCEMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"), max_length=MAX_QUESTION, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Chosen when the form is drawn: submitting twice stores the question once.
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
