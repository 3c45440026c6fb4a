"""Members and membership: accounts, approval, cohorts, invitations, connections, blocks,
profiles and the directory's rows, one module per concern."""

from profiles.models.directory import DirectoryEntry
from profiles.models.members import (
    RESERVED_USERNAMES,
    Cohort,
    Invitation,
    MembershipStatus,
    User,
    new_invitation_code,
)
from profiles.models.network import Block, Connection, Report
from profiles.models.profile import ExpertiseTag, OpenTo, Profile, SpokenLanguage, Visibility

__all__ = [
    "RESERVED_USERNAMES",
    "Block",
    "Cohort",
    "Connection",
    "DirectoryEntry",
    "ExpertiseTag",
    "Invitation",
    "MembershipStatus",
    "OpenTo",
    "Profile",
    "Report",
    "SpokenLanguage",
    "User",
    "Visibility",
    "new_invitation_code",
]
