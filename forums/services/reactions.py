"""Reactions to posts (agree, thanks …): one of each kind per member, counted on the post."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from forums import permissions
from forums.models import Post, Reaction, ReactionKind, Topic, forget_topics
from profiles.models import User


@transaction.atomic
def toggle_reaction(*, member: User, post: Post, kind: str) -> bool:
    """Add the member's reaction of `kind` to `post`, or take it back; True if now on."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("Unknown reaction."), code="invalid")
    post = Post.objects.select_for_update().select_related("topic__category").get(pk=post.pk)
    if not permissions.can_react(member, post):
        raise PermissionDenied
    deleted, _rows = Reaction.objects.filter(post=post, user=member, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=member, kind=kind)
    counts = dict(
        Reaction.objects.filter(post=post)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    Post.objects.filter(pk=post.pk).update(reaction_counts=counts)
    Topic.objects.filter(pk=post.topic_id).update(revision=F("revision") + 1)
    forget_topics([post.topic_id])
    return not deleted
