"""Reactions, watching, unread markers and "new since your last visit"."""

import pytest
from django.utils import timezone

from forums import services
from forums.models import ForumVisit
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reaction_counts_once_per_member_and_kind(topic, member):
    post = topic.posts.get(number=1)

    services.toggle_reaction(member=member, post=post, kind="thanks")
    services.toggle_reaction(member=member, post=post, kind="agree")
    services.toggle_reaction(member=member, post=post, kind="agree")

    post.refresh_from_db()
    assert post.reaction_counts == {"thanks": 1}


def test_watchers_of_a_topic_hear_of_replies(topic, author, member):
    services.reply(author=member, topic=topic, body="An answer")

    notice = Notification.objects.get(recipient=author, kind="reply")
    assert topic.title in notice.text


def test_watchers_of_a_category_hear_of_new_topics(members_category, author, member):
    services.set_watching(member=member, category=members_category, watching=True)

    services.create_topic(author=author, category=members_category, title="Fresh", body="Hi")

    assert Notification.objects.filter(recipient=member, kind="new_topic").count() == 1


def test_a_watcher_who_lost_access_hears_nothing(private_category, group_member, cohort, author):
    cohort.members.add(author)
    topic = services.create_topic(
        author=author, category=private_category, title="Cohort", body="Hi"
    )
    services.set_watching(member=group_member, topic=topic, watching=True)
    cohort.members.remove(group_member)

    services.reply(author=author, topic=topic, body="Still there?")

    assert not Notification.objects.filter(recipient=group_member).exists()


def test_new_posts_are_marked_and_jump_to_first_unread_finds_them(client_as, topic, member, author):
    client = client_as(member)
    client.get(topic.get_absolute_url())
    services.reply(author=author, topic=topic, body="Unread one")

    jump = client.get(f"/forums/t/{topic.id}/unread/")
    page = client.get(topic.get_absolute_url()).content.decode()

    assert 'id="unread"' in page and page.index('id="unread"') < page.index("Unread one")
    assert jump["Location"] == f"{topic.get_absolute_url()}#unread"


def test_topics_active_since_the_last_visit_are_listed_as_new(client_as, topic, member, author):
    ForumVisit.objects.create(
        user=member, last_seen_at=timezone.now() - timezone.timedelta(hours=2)
    )
    services.reply(author=author, topic=topic, body="News")

    page = client_as(member).get("/forums/new/").content.decode()

    assert topic.title in page
