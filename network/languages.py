"""Which language a member reads: chosen in the switcher (a cookie, and for members their
profile), else the browser's preference, as Django's LocaleMiddleware decides for pages.

The stored choice reaches a member's other browsers at sign-in (profiles.receivers), their
emails and notifications through notifications.selectors.preferred_language, and their
WebSocket frames through SocketLanguageMiddleware below.
"""

from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponseBase
from django.utils import translation
from django.utils.functional import lazy

# Each language named in itself, as the switcher lists them (Django's names are lower-case
# for some, and "简体中文" where the UN says "中文").
NATIVE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh-hans": "中文",
    "ru": "Русский",
}


def switcher_choices() -> list[dict[str, str]]:
    """The switcher's options: code, name in itself, and its direction."""
    return [
        {
            "code": code,
            "name": NATIVE_NAMES.get(code, code),
            "direction": "rtl" if translation.get_language_info(code)["bidi"] else "ltr",
        }
        for code, _name in settings.LANGUAGES
    ]


def _site_name() -> str:
    return translation.gettext(settings.SITE_NAME)


# The site's name in the language active when it is shown (lazy: emails build their context
# before switching to the member's language).
site_name = lazy(_site_name, str)


def supported(language: str | None) -> str | None:
    """`language` as one of settings.LANGUAGES ("zh-Hans" → "zh-hans"), or None."""
    if not language:
        return None
    try:
        found = translation.get_supported_language_variant(language)
    except LookupError:
        return None
    return found if found in dict(settings.LANGUAGES) else None


def remember(response: HttpResponseBase, language: str) -> None:
    """Set the language cookie as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def from_scope(scope: dict) -> str:
    """The language of a WebSocket handshake: its cookie, else its Accept-Language."""
    headers = dict(scope.get("headers") or [])
    request = SimpleNamespace(
        COOKIES=scope.get("cookies") or {},
        META={"HTTP_ACCEPT_LANGUAGE": headers.get(b"accept-language", b"").decode("latin-1")},
    )
    return translation.get_language_from_request(request)


class SocketLanguageMiddleware:
    """Every frame of a WebSocket (error details, notices) in its page's language.

    Sits inside channels' AuthMiddlewareStack, which parses the cookies. The language is
    active for the connection's whole life: the consumer runs in this task, and the ORM
    threads it starts copy its context.
    """

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        with translation.override(from_scope(scope)):
            return await self.inner(scope, receive, send)
