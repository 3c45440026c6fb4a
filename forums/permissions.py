"""Who may read, post in and moderate the forums: the forums' only access rules.

One policy, used by every page, search, feed and notification:

- read: public categories for everyone; members-only ones for approved members; private ones
  for the members of their group (`_group_q`, the single place that says which groups open
  a private category) and for moderators;
- post: approved members who may read (replies also need the topic open);
- moderate: moderators; summaries also facilitators who may read.

What a viewer may not read looks like it does not exist.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from forums.models import Access, Category, Post, State, Topic
from profiles.models import Block, Connection, MembershipStatus, User
from profiles.permissions import AnyUser, is_facilitator, is_member, is_moderator


def _group_q(user: User) -> Q:
    """Categories private to a group `user` belongs to.

    Cohorts, and the categories of the workshops `user` takes part in.
    """
    from workshops.permissions import readable_private_categories  # workshops imports forums

    return Q(cohort_id__in=User.cohorts.through.objects.filter(user=user).values("cohort_id")) | Q(
        pk__in=readable_private_categories(user)
    )


def can_read(user: AnyUser | None, category: Category) -> bool:
    if category.access == Access.PUBLIC:
        return True
    if not is_member(user):
        return False
    if category.access == Access.MEMBERS or is_moderator(user):
        return True
    return Category.objects.filter(_group_q(user), pk=category.pk).exists()


def visible_categories(viewer: AnyUser | None, queryset: QuerySet[Category]) -> QuerySet[Category]:
    if not is_member(viewer):
        return queryset.filter(access=Access.PUBLIC)
    if is_moderator(viewer):
        return queryset
    return queryset.filter(Q(access__in=[Access.PUBLIC, Access.MEMBERS]) | _group_q(viewer))


def can_post(user: AnyUser | None, category: Category) -> bool:
    """Start a topic in `category`."""
    if category.topics_by_moderators_only and not is_moderator(user):
        return False
    return is_member(user) and can_read(user, category)


def can_moderate(user: AnyUser | None, category: Category) -> bool:
    return is_moderator(user) and can_read(user, category)


@dataclass(frozen=True)
class TopicRights:
    """What one member may do in one topic, worked out once (one query at most), so a page
    of posts asks nothing more per post."""

    user_id: int | None
    is_member: bool
    see: bool
    moderate: bool
    reply: bool
    summarise: bool
    edit_topic: bool

    def can_see_content(self, post: Post) -> bool:
        return post.state == State.VISIBLE or self.moderate

    def can_edit(self, post: Post) -> bool:
        if self.moderate:
            return True
        if post.number == 0:
            return self.summarise
        return post.author_id == self.user_id and post.state == State.VISIBLE and self.reply

    def can_delete(self, post: Post) -> bool:
        if self.moderate:
            return True
        own = self.is_member and post.author_id == self.user_id
        return own and self.see and post.state == State.VISIBLE and post.number > 0

    def can_react(self, post: Post) -> bool:
        return (
            self.is_member
            and self.see
            and post.author_id != self.user_id
            and post.state == State.VISIBLE
            and post.number > 0
        )

    def can_report(self, post: Post) -> bool:
        return self.is_member and self.see and post.author_id != self.user_id


def topic_rights(user: AnyUser | None, topic: Topic) -> TopicRights:
    readable = can_read(user, topic.category)
    member = is_member(user)
    moderate = readable and is_moderator(user)
    see = readable and (topic.state == State.VISIBLE or moderate)
    # Locked topics take replies from moderators only.
    reply = (
        member and readable and topic.state == State.VISIBLE and (not topic.is_locked or moderate)
    )
    return TopicRights(
        user_id=user.pk if member else None,
        is_member=member,
        see=see,
        moderate=moderate,
        reply=reply,
        summarise=moderate or (see and is_facilitator(user)),
        edit_topic=moderate or (reply and topic.author_id == user.pk),
    )


def can_see_topic(user: AnyUser | None, topic: Topic) -> bool:
    return topic_rights(user, topic).see


def can_reply(user: AnyUser | None, topic: Topic) -> bool:
    return topic_rights(user, topic).reply


def can_edit_topic(user: AnyUser | None, topic: Topic) -> bool:
    """Title and tags: the author while the topic is open, and moderators."""
    return topic_rights(user, topic).edit_topic


def can_see_post(user: AnyUser | None, post: Post) -> bool:
    """See a post's content (hidden and deleted posts show only to moderators)."""
    rights = topic_rights(user, post.topic)
    return rights.see and rights.can_see_content(post)


def can_edit_post(user: AnyUser | None, post: Post) -> bool:
    return topic_rights(user, post.topic).can_edit(post)


def can_delete_post(user: AnyUser | None, post: Post) -> bool:
    """Authors may delete their own visible post; moderators any."""
    return topic_rights(user, post.topic).can_delete(post)


def can_react(user: AnyUser | None, post: Post) -> bool:
    return topic_rights(user, post.topic).can_react(post)


def can_report(user: AnyUser | None, post: Post) -> bool:
    return topic_rights(user, post.topic).can_report(post)


def can_write_summary(user: AnyUser | None, topic: Topic) -> bool:
    """Moderators, and facilitators who may read the topic, write its consolidated reply."""
    return topic_rights(user, topic).summarise


def can_watch(user: AnyUser | None, category: Category) -> bool:
    return is_member(user) and can_read(user, category)


def has_feed(category: Category) -> bool:
    """Feeds are read without signing in, so only public categories have one."""
    return category.access == Access.PUBLIC


def visible_topics(viewer: AnyUser | None, queryset: QuerySet[Topic]) -> QuerySet[Topic]:
    queryset = queryset.filter(category__in=visible_categories(viewer, Category.objects.all()))
    if is_moderator(viewer):
        return queryset.exclude(state=State.DELETED)
    return queryset.filter(state=State.VISIBLE)


def visible_posts(viewer: AnyUser | None, queryset: QuerySet[Post]) -> QuerySet[Post]:
    """Posts whose content the viewer may read (search, feeds, lists of one's posts)."""
    category_ids = list(
        visible_categories(viewer, Category.objects.all()).values_list("id", flat=True)
    )
    return queryset.filter(
        topic__category_id__in=category_ids, topic__state=State.VISIBLE, state=State.VISIBLE
    )


def mentionable_members(author: User, usernames: list[str]) -> QuerySet[User]:
    """Of `usernames`, the members `author` may mention.

    Not across a block (either way), and not a member hidden from the directory unless the
    two are connected: a mention must never confirm that a hidden member exists.
    """
    unmentionable = set()
    for blocker_id, blocked_id in Block.objects.filter(
        Q(blocker=author) | Q(blocked=author)
    ).values_list("blocker_id", "blocked_id"):
        unmentionable.add(blocked_id if blocker_id == author.pk else blocker_id)
    connected_ids = set()
    for from_id, to_id in Connection.objects.filter(
        Q(from_user=author) | Q(to_user=author), state=Connection.State.ACCEPTED
    ).values_list("from_user_id", "to_user_id"):
        connected_ids.add(to_id if from_id == author.pk else from_id)
    return (
        User.objects.filter(
            username__in=usernames, status=MembershipStatus.APPROVED, is_active=True
        )
        .exclude(pk__in=unmentionable)
        .filter(~Q(profile__hidden_from_directory=True) | Q(pk__in=connected_ids))
    )
