"""Reads about members, shared by views, consumers and commands.

One module per thing read: membership (invitations, pending members, reports), directory
(the peer directory's filters, search, counts and page), cards (the profiles behind member
cards), members (a profile page, one's own profile and connections, suggestions, the map).
Callers use `from profiles import selectors` and `selectors.<name>`.
"""

from profiles.selectors.directory import (
    FACET_LIMIT,
    PAGE_SIZE,
    DirectoryPage,
    DirectoryQuery,
    search_directory,
)
from profiles.selectors.members import (
    SUGGESTION_COUNT,
    ConnectionsOverview,
    MapRow,
    MembersMap,
    connection_between,
    get_member_profile,
    get_own_country,
    get_own_profile,
    list_connections,
    members_map,
    suggest_members,
)
from profiles.selectors.membership import (
    get_usable_invitation,
    list_cohort_invitations,
    list_pending_members,
    list_reports,
)

__all__ = [
    "FACET_LIMIT",
    "PAGE_SIZE",
    "SUGGESTION_COUNT",
    "ConnectionsOverview",
    "DirectoryPage",
    "DirectoryQuery",
    "MapRow",
    "MembersMap",
    "connection_between",
    "get_member_profile",
    "get_own_country",
    "get_own_profile",
    "get_usable_invitation",
    "list_cohort_invitations",
    "list_connections",
    "list_pending_members",
    "list_reports",
    "members_map",
    "search_directory",
    "suggest_members",
]
