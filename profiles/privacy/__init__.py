"""The one policy deciding what a viewer may see of a member.

Every surface that shows a member goes through here: the profile page, directory cards,
filters and their counts, search, suggestions, the members map, exports, chat presence and
feeds. The rule has two forms that must agree, kept side by side in this package:

- `see(viewer, profile)` for rendering one member: a `MemberView` holding only what the
  viewer may see, or None when the member must look as if they did not exist;
- `listed_profiles(viewer, queryset)` and `field_visible_q(viewer, field)` for the database,
  so lists, filters, counts and search never match on what the viewer may not see.

The directory reads DirectoryEntry rows, which hold nothing that depends on the viewer: who
is listed at all (`listed_q`) and the searchable text at each level (`stored_search_vectors`)
are derived here and written by services.refresh_directory; the viewer's part (blocks,
connections, their own row) is applied when reading.

The package, by concern: `viewers` (who is looking, and the level they see each member at),
`rendering` (see, MemberView, member pages' addresses), `queries` (the rule as Q objects and
SQL) and `search` (the searchable text at each level). Callers use the names below.

The rule:

- Only approved, active members exist for others. A member hidden from the directory is
  absent from every list, search, count, suggestion and map for everyone; their profile page
  still opens for their connections and for moderators (who handle reports).
- A block works both ways in lists: the two members never meet each other in the directory,
  search, suggestions or map. The blocked member gets a 404 on the blocker's page; the blocker
  can still open the blocked member's page (to unblock), seeing only members-level fields.
- Each field has a level (everyone / members / my connections / only me). Visitors and
  pending accounts see "everyone" fields; members also "members" fields; connections also
  "my connections" fields; the member sees everything. Moderators see what members see.
"""

from profiles.privacy.queries import (
    ID_LIST_LIMIT,
    connected_ids_q,
    field_visible_q,
    level_expression,
    listed_entries,
    listed_profiles,
    listed_q,
    stand_in,
    statement_shape,
)
from profiles.privacy.rendering import CARD_FIELDS, MemberView, member_url, member_urls, see
from profiles.privacy.search import (
    entry_search_vector,
    stored_search_vectors,
    visible_search_vector,
)
from profiles.privacy.viewers import (
    ANY_MEMBER_LEVEL,
    AnyUser,
    Viewer,
    level_for,
    sees_more_than_any_member,
    viewer_for,
)

__all__ = [
    "ANY_MEMBER_LEVEL",
    "CARD_FIELDS",
    "ID_LIST_LIMIT",
    "AnyUser",
    "MemberView",
    "Viewer",
    "connected_ids_q",
    "entry_search_vector",
    "field_visible_q",
    "level_expression",
    "level_for",
    "listed_entries",
    "listed_profiles",
    "listed_q",
    "member_url",
    "member_urls",
    "see",
    "sees_more_than_any_member",
    "stand_in",
    "statement_shape",
    "stored_search_vectors",
    "viewer_for",
    "visible_search_vector",
]
