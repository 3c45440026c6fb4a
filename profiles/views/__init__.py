"""Views of the profiles app, one module per concern: directory (the peer directory),
members (a member's page, one's own profile and account, the map), connections (actions
between two members) and membership (moderators' pages, invitations, sign-up).
URL configurations use `from profiles import views` and `views.<name>`.
"""

from profiles.views.connections import (
    accept,
    block,
    connect,
    connections,
    decline,
    remove,
    report,
    unblock,
    withdraw,
)
from profiles.views.directory import member_list
from profiles.views.members import (
    delete_account,
    export_data,
    member_detail,
    members_map,
    profile_edit,
)
from profiles.views.membership import (
    SignupView,
    approve_member,
    invitations,
    pending_members,
    reject_member,
    reports,
    resolve_report,
)

__all__ = [
    "SignupView",
    "accept",
    "approve_member",
    "block",
    "connect",
    "connections",
    "decline",
    "delete_account",
    "export_data",
    "invitations",
    "member_detail",
    "member_list",
    "members_map",
    "pending_members",
    "profile_edit",
    "reject_member",
    "remove",
    "report",
    "reports",
    "resolve_report",
    "unblock",
    "withdraw",
]
