from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from profiles import selectors
from profiles.models import Cohort


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
