"""Hooks into django-allauth: approval on sign-up (in the language signed up in), login
throttling."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils import translation

from profiles import services, throttle
from profiles.models import RESERVED_USERNAMES, User


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        # /members/<username>/ shares its prefix with pages such as /members/map/.
        if username.lower() in RESERVED_USERNAMES:
            raise self.validation_error("username_blacklisted")
        return super().clean_username(username, shallow=shallow)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.check_login_allowed(
            email=credentials.get("email") or credentials.get("username") or "",
            address=self.get_client_ip(request) or "",
        )

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.record_login_failure(
            email=credentials.get("email") or credentials.get("username") or "",
            address=self.get_client_ip(request) or "",
        )

    def save_user(
        self, request: HttpRequest, user: User, form: BaseForm, commit: bool = True
    ) -> User:
        user = super().save_user(request, user, form, commit=False)
        return services.register_member(
            user=user,
            display_name=form.cleaned_data.get("display_name", ""),
            invitation_code=form.cleaned_data.get("invitation_code", ""),
            language=translation.get_language() or "",
        )
