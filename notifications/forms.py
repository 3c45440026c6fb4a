from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import EMAIL_KINDS, Delivery, Kind


class EmailPreferencesForm(forms.Form):
    """One choice per kind of notification: at once, in the daily digest, or never."""

    def __init__(self, *args, initial_deliveries: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in EMAIL_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label.capitalize(),
                choices=Delivery.choices,
                initial=initial_deliveries[kind],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how to get these."),
                    "invalid_choice": _("Choose one of the offered options."),
                },
            )

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in EMAIL_KINDS}


class MarkAllReadForm(forms.Form):
    up_to = forms.IntegerField(min_value=1, required=False)
