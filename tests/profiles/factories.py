"""Members with profiles, made through the profile service as members make them."""

from profiles import services
from profiles.models import Connection, Visibility
from tests.factories import UserFactory


def member_with(
    *, display_name: str | None = None, visibility: int | None = None, **profile
) -> object:
    """An approved member whose profile holds `profile` (keys of services.update_profile).

    `visibility` sets every field's level at once; `<field>_visibility` keys still win.
    """
    user = UserFactory(**({"display_name": display_name} if display_name else {}))
    data = dict(profile)
    if visibility is not None:
        for name in ("organisation", "stakeholder_type", "country", "expertise", "interests",
                     "languages", "bio", "avatar", "links", "cohorts", "open_to"):  # fmt: skip
            data.setdefault(f"{name}_visibility", visibility)
    services.update_profile(member=user, data=data)  # also indexes the name for search
    return user


def connect(a, b) -> None:
    """Make `a` and `b` connections, through the request and accept services."""
    request = services.request_connection(sender=a, recipient=b)
    services.accept_connection(member=b, connection=Connection.objects.get(pk=request.pk))


EVERYONE, MEMBERS, CONNECTIONS, ONLY_ME = (
    Visibility.EVERYONE,
    Visibility.MEMBERS,
    Visibility.CONNECTIONS,
    Visibility.ONLY_ME,
)
