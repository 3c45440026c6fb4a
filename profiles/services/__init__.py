"""Every write about members, one module per concern: membership (invitations, registration,
approval, reports, suspension), editing (one's own profile and photo), connections (and
blocks), directory (its rows and version), data_rights (export, deletion) and importing (a
cohort from a file, sign-in links); common holds what several of them share.
Callers use `from profiles import services` and `services.<name>`.
"""

from profiles.services.connections import (
    accept_connection,
    block_member,
    decline_connection,
    remove_connection,
    request_connection,
    unblock_member,
    withdraw_connection,
)
from profiles.services.data_rights import MEMBER_DATA_APPS, delete_account, export_member_data
from profiles.services.directory import DIRECTORY_VERSION_KEY, directory_changed, refresh_directory
from profiles.services.editing import (
    AVATAR_FORMATS,
    AVATAR_MAX_BYTES,
    AVATAR_MAX_SIDE,
    AVATAR_SIZES,
    expertise_tags,
    normalise_tag_name,
    remove_avatar,
    set_avatar,
    set_languages,
    set_preferred_language,
    update_profile,
)
from profiles.services.importing import (
    email_sign_in_link,
    import_member,
    sign_in_link,
    unique_username,
)
from profiles.services.membership import (
    approve_member,
    create_invitation,
    create_member,
    curated_tags,
    invite_by_email,
    redeem_invitation,
    register_member,
    reinstate_member,
    reject_member,
    report_member,
    resolve_report,
    set_member_details,
    suspend_member,
)

__all__ = [
    "AVATAR_FORMATS",
    "AVATAR_MAX_BYTES",
    "AVATAR_MAX_SIDE",
    "AVATAR_SIZES",
    "DIRECTORY_VERSION_KEY",
    "MEMBER_DATA_APPS",
    "accept_connection",
    "approve_member",
    "block_member",
    "create_invitation",
    "create_member",
    "curated_tags",
    "decline_connection",
    "delete_account",
    "directory_changed",
    "email_sign_in_link",
    "export_member_data",
    "expertise_tags",
    "import_member",
    "invite_by_email",
    "normalise_tag_name",
    "redeem_invitation",
    "refresh_directory",
    "register_member",
    "reinstate_member",
    "reject_member",
    "remove_avatar",
    "remove_connection",
    "report_member",
    "request_connection",
    "resolve_report",
    "set_avatar",
    "set_languages",
    "set_member_details",
    "set_preferred_language",
    "sign_in_link",
    "suspend_member",
    "unblock_member",
    "unique_username",
    "update_profile",
    "withdraw_connection",
]
