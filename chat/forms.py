from django import forms
from django.utils.translation import gettext_lazy as _

from chat.models import MAX_BODY, MAX_CLIENT_ID


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}),
        error_messages={
            "max_length": _("That message is too long: at most %(limit_value)d characters.")
        },
    )
    # Chosen when the form is rendered: posting the same form twice stores one message.
    client_id = forms.CharField(max_length=MAX_CLIENT_ID, widget=forms.HiddenInput)


class MuteForm(forms.Form):
    username = forms.CharField(label=_("Member (username)"), max_length=150)
    minutes = forms.IntegerField(label=_("For how many minutes"), min_value=1, initial=15)


class SlowModeForm(forms.Form):
    seconds = forms.IntegerField(
        label=_("Seconds between messages (0 turns slow mode off)"), min_value=0, initial=0
    )
