from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from profiles import selectors


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
