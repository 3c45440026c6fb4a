import re
from zoneinfo import available_timezones

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.validators import EmailValidator, URLValidator
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from network.cache import KeptInProcess
from profiles import selectors
from profiles.languages import LANGUAGE_CHOICES
from profiles.models import Cohort, OpenTo, Profile, Report, Visibility
from taxonomy.labels import label
from taxonomy.models import Cluster, ExpertiseTerm, Protocol, StakeholderType

# Time zones under a continent or an ocean, and UTC. The others are aliases that only confuse
# (US/Pacific, Etc/GMT+5 which means UTC-5), and leaving them out keeps the profile page light.
ZONE_AREAS = (
    "Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/",
    "Pacific/",
)  # fmt: skip
ZONES = ["UTC", *sorted(zone for zone in available_timezones() if zone.startswith(ZONE_AREAS))]


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Your name as members will see it"), max_length=120, required=True
    )
    invitation_code = forms.CharField(
        label=_("Invitation code (optional)"),
        max_length=64,
        required=False,
        help_text=_("From your training cohort or an invitation email: it approves you at once."),
    )

    def clean_invitation_code(self) -> str:
        code = self.cleaned_data.get("invitation_code", "").strip()
        if (
            code
            and selectors.get_usable_invitation(code=code, email=self.data.get("email")) is None
        ):
            raise forms.ValidationError(
                _("This invitation code is not valid, has expired or has been used up."),
                code="invalid_invitation",
            )
        return code


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class InviteByEmailForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )
    cohort = forms.ModelChoiceField(
        label=_("Training cohort (optional)"), queryset=Cohort.objects.all(), required=False
    )

    def clean_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        validator = EmailValidator()
        bad = []
        for line in lines:
            try:
                validator(line)
            except forms.ValidationError:
                bad.append(line)
        if bad:
            raise forms.ValidationError(
                _("These are not email addresses: %(list)s") % {"list": ", ".join(bad)}
            )
        if len(lines) > 200:
            raise forms.ValidationError(_("Send at most 200 invitations at a time."))
        return lines


class CohortCodeForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Training cohort"), queryset=Cohort.objects.all())
    max_uses = forms.IntegerField(
        label=_("How many people may use it"), min_value=1, max_value=1000, initial=30
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=30
    )


# Profiles and the directory ------------------------------------------------------------------


def _visibility_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=Visibility.choices, coerce=int, initial=Visibility.MEMBERS
    )


class ProfileForm(forms.Form):
    """A member's own profile. Each private field has a "who sees it" companion field."""

    display_name = forms.CharField(label=_("Name"), max_length=120)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    stakeholder_type = forms.ModelChoiceField(
        label=_("Stakeholder type"), queryset=StakeholderType.objects.all(), required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    city = forms.CharField(label=_("City (optional)"), max_length=120, required=False)
    expertise = forms.MultipleChoiceField(
        label=_("Expertise"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_expertise = forms.CharField(
        label=_("Other expertise"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas, for example: asset tracing, port security."),
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Review clusters of interest"),
        queryset=Cluster.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    protocols = forms.ModelMultipleChoiceField(
        label=_("Protocols of interest"),
        queryset=Protocol.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: *emphasis*, **bold**, [links](https://example.org), lists."),
    )
    avatar = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 4 MB. Location and camera data are removed."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my photo"), required=False)
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line, at most five."),
    )
    open_to = forms.MultipleChoiceField(
        label=_("Open to"),
        choices=OpenTo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="UTC")
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=_("Pages after you sign in, emails and notifications use it."),
    )
    hidden_from_directory = forms.BooleanField(
        label=_("Hide me from the directory"),
        required=False,
        help_text=_(
            "You will not appear in the directory, search, suggestions, counts or the map. "
            "Your connections can still open your profile."
        ),
    )
    organisation_visibility = _visibility_field(_("Who sees my organisation"))
    stakeholder_type_visibility = _visibility_field(_("Who sees my stakeholder type"))
    country_visibility = _visibility_field(_("Who sees my country and city"))
    expertise_visibility = _visibility_field(_("Who sees my expertise"))
    interests_visibility = _visibility_field(_("Who sees my clusters and Protocols"))
    languages_visibility = _visibility_field(_("Who sees my languages"))
    bio_visibility = _visibility_field(_("Who sees my bio"))
    avatar_visibility = _visibility_field(_("Who sees my photo"))
    links_visibility = _visibility_field(_("Who sees my links"))
    cohorts_visibility = _visibility_field(_("Who sees my training cohorts"))
    open_to_visibility = _visibility_field(_("Who sees what I am open to"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Not given")), *countries]
        self.fields["expertise"].choices = [
            (term.slug, term.label) for term in ExpertiseTerm.objects.all()
        ]
        current = self.initial.get("time_zone")
        zones = ZONES if not current or current in ZONES else [current, *ZONES]
        self.fields["time_zone"].choices = [(name, name) for name in zones]

    @staticmethod
    def initial_for(profile: Profile) -> dict:
        curated = set(ExpertiseTerm.objects.values_list("slug", flat=True))
        tags = list(profile.expertise.all())
        initial = {
            "display_name": profile.user.display_name,
            "organisation": profile.organisation,
            "stakeholder_type": profile.stakeholder_type_id,
            "country": profile.country.code or "",
            "city": profile.city,
            "expertise": [tag.slug for tag in tags if tag.slug in curated],
            "other_expertise": ", ".join(tag.name for tag in tags if tag.slug not in curated),
            "clusters": list(profile.clusters.all()),
            "protocols": list(profile.protocols.all()),
            "languages": list(profile.languages.values_list("code", flat=True)),
            "bio": profile.bio,
            "links": "\n".join(profile.links),
            "open_to": profile.open_to,
            "time_zone": profile.time_zone,
            "preferred_language": profile.preferred_language,
            "hidden_from_directory": profile.hidden_from_directory,
        }
        for name in Profile.PRIVATE_FIELDS:
            initial[f"{name}_visibility"] = getattr(profile, f"{name}_visibility")
        return initial

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > 5:
            raise forms.ValidationError(_("Give at most five links."), code="too_many")
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("%(link)s is not a web address (it must start with https:// or http://).")
                    % {"link": line},
                    code="invalid",
                ) from None
        return lines

    def clean_other_expertise(self) -> list[str]:
        values = [v.strip() for v in self.cleaned_data["other_expertise"].split(",") if v.strip()]
        if len(values) > 10:
            raise forms.ValidationError(_("Add at most ten other tags."), code="too_many")
        return values

    def clean(self) -> dict:
        data = super().clean()
        data["expertise"] = [*data.get("expertise", []), *data.pop("other_expertise", [])]
        return data

    def profile_data(self) -> dict:
        """What the profile service stores (the photo goes to its own service)."""
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("avatar", "remove_avatar")
        }


class TagSlugsField(forms.MultipleChoiceField):
    """Repeatable `expertise=` filter: curated terms are offered, any tag slug is accepted."""

    def valid_value(self, value: str) -> bool:
        return bool(re.fullmatch(r"[-\w]{1,100}", value))


class _SharedChoices(BaseChoiceIterator):
    """Choices already as Django normalises them, shared by every directory form: neither
    normalised again nor deep-copied for each request (the country list alone has 250)."""

    def __init__(self, choices) -> None:
        self.choices = list(choices)

    @cached_property
    def options_html(self) -> SafeString:
        """The choices as <option> tags, rendered once for this list: a loop over 250
        countries was otherwise the slowest part of the directory page."""
        return format_html_join("", '<option value="{}">{}</option>', self.choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def __deepcopy__(self, memo) -> "_SharedChoices":
        return self


class DirectoryForm(forms.Form):
    """The directory's GET filters; any invalid filter is reported, the rest still apply."""

    q = forms.CharField(
        label=_("Name, organisation or words in a bio"), required=False, max_length=200
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    expertise = TagSlugsField(label=_("Expertise"), required=False)
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"), required=False)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    cluster = forms.ChoiceField(label=_("Review cluster"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    CHOICES_SECONDS = 300  # staff edits to the taxonomy show within five minutes
    # Every select's choices, in the reader's language, read once per language and kept in
    # this process for a while (every directory request builds this form); the view renders
    # their <option> tags once per list (_SharedChoices.options_html).
    choices_kept = KeptInProcess(CHOICES_SECONDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = self.choices_kept.get(get_language(), self._read_choices)
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices

    @staticmethod
    def _read_choices() -> dict[str, list[tuple[str, str]]]:
        def labelled(model) -> list[tuple[str, str]]:  # shipped names in the reader's language
            return [(slug, label(name)) for slug, name in model.objects.values_list("slug", "name")]

        return {
            "country": _SharedChoices(
                [("", str(_("Any country"))), *((c, str(n)) for c, n in countries)]
            ),
            "expertise": _SharedChoices(labelled(ExpertiseTerm)),
            "stakeholder_type": _SharedChoices(
                [("", str(_("Any type"))), *labelled(StakeholderType)]
            ),
            "cluster": _SharedChoices([("", str(_("Any cluster"))), *labelled(Cluster)]),
            "language": _SharedChoices(
                [("", str(_("Any language"))), *((c, str(n)) for c, n in LANGUAGE_CHOICES)]
            ),
            "sort": _SharedChoices(
                [
                    ("relevance", str(_("Relevance"))),
                    ("name", str(_("Name"))),
                    ("newest", str(_("Newest"))),
                ]
            ),
        }

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class ConnectForm(forms.Form):
    note = forms.CharField(
        label=_("A note with your request (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=Report.Reason.choices)
    details = forms.CharField(
        label=_("Details for the moderators (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResolveReportForm(forms.Form):
    resolution = forms.CharField(label=_("Outcome"), max_length=300, required=False)
    suspend = forms.BooleanField(label=_("Suspend this member"), required=False)


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=20,
        help_text=_("This cannot be undone."),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "DELETE":
            raise forms.ValidationError(_("Type DELETE to confirm."), code="not_confirmed")
        return value
