"""Receivers for third-party signals; each only calls a chat service."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from chat import services


@receiver(user_logged_out, dispatch_uid="chat-close-sockets-on-logout")
def close_sockets_on_logout(sender: type, request: HttpRequest | None, user, **kwargs) -> None:
    if user is None:
        return
    session = getattr(request, "session", None)
    services.end_session_sockets(user_id=user.pk, session_key=getattr(session, "session_key", None))
