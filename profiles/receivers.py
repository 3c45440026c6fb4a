"""Receivers for third-party signals."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

from network import languages
from notifications.selectors import preferred_language


@receiver(user_logged_in, dispatch_uid="profiles-member-language-on-sign-in")
def use_member_language(
    sender: type, request: HttpRequest, user, response: HttpResponseBase | None = None, **kwargs
) -> None:
    """Signing in switches to the language the member chose, on whatever browser: the rest of
    this request (the "signed in" message) and, by the cookie, every page after it."""
    language = preferred_language(user)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    if response is not None:
        languages.remember(response, language)
