"""One policy decides who may read, post, moderate, search and subscribe to feeds, per
category access: every cell of (viewer × category × action) is checked through the pages."""

import pytest

from forums import services
from forums.models import Post, Topic

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "pending", "member", "group_member", "moderator"]
CATEGORIES = ["public", "members", "private"]

CAN_READ = {
    "public": set(VIEWERS),
    "members": {"member", "group_member", "moderator"},
    "private": {"group_member", "moderator"},
}
CAN_POST = {
    "public": {"member", "group_member", "moderator"},
    "members": {"member", "group_member", "moderator"},
    "private": {"group_member", "moderator"},
}
CAN_MODERATE = {"public": {"moderator"}, "members": {"moderator"}, "private": {"moderator"}}
# Feeds are fetched without signing in: only public categories have one, for everybody.
HAS_FEED = {"public": set(VIEWERS), "members": set(), "private": set()}


@pytest.fixture
def world(request, author, public_category, members_category, private_category, group_member):
    topics = {}
    for name, category in [
        ("public", public_category),
        ("members", members_category),
        ("private", private_category),
    ]:
        topics[name] = services.create_topic(
            author=author if name != "private" else group_member,
            category=category,
            title=f"Zanzibarian {name} questions",
            body=f"Quokkaword appears in the {name} topic.",
        )
    return topics


@pytest.fixture
def viewer(request, pending_member, member, group_member, moderator):
    return {
        "anonymous": None,
        "pending": pending_member,
        "member": member,
        "group_member": group_member,
        "moderator": moderator,
    }


def cells(table):
    return [
        pytest.param(who, where, who in table[where], id=f"{who}-{where}")
        for who in VIEWERS
        for where in CATEGORIES
    ]


@pytest.mark.parametrize(("who", "where", "allowed"), cells(CAN_READ))
def test_reading_a_topic_follows_the_policy(client_as, world, viewer, who, where, allowed):
    topic = world[where]

    topic_page = client_as(viewer[who]).get(topic.get_absolute_url())
    category_page = client_as(viewer[who]).get(topic.category.get_absolute_url())
    index = client_as(viewer[who]).get("/forums/")

    assert topic_page.status_code == (200 if allowed else 404)
    assert category_page.status_code == (200 if allowed else 404)
    assert (topic.category.name in index.content.decode()) is allowed


@pytest.mark.parametrize(("who", "where", "allowed"), cells(CAN_POST))
def test_posting_follows_the_policy(client_as, world, viewer, who, where, allowed):
    topic = world[where]
    client = client_as(viewer[who])

    client.post(f"/forums/t/{topic.id}/reply/", {"body": "My reply", "action": "submit"})
    client.post(
        f"/forums/{topic.category.slug}/new/",
        {"title": "A new question", "body": "Body", "action": "submit"},
    )

    assert Post.objects.filter(topic=topic, body="My reply").exists() is allowed
    assert Topic.objects.filter(title="A new question").exists() is allowed


@pytest.mark.parametrize(("who", "where", "allowed"), cells(CAN_MODERATE))
def test_moderating_follows_the_policy(client_as, world, viewer, who, where, allowed):
    topic = world[where]

    response = client_as(viewer[who]).post(
        f"/forums/t/{topic.id}/moderate/pin/", {"reason": "Important"}
    )

    topic.refresh_from_db()
    assert topic.is_pinned is allowed
    if not allowed and viewer[who] is not None and who != "pending":
        assert response.status_code in (403, 404)


@pytest.mark.parametrize(("who", "where", "allowed"), cells(CAN_READ))
def test_search_finds_only_what_the_viewer_may_read(client_as, world, viewer, who, where, allowed):
    response = client_as(viewer[who]).get("/forums/search/", {"q": "Quokkaword"})

    assert response.status_code == 200
    assert (f"Zanzibarian {where} questions" in response.content.decode()) is allowed


@pytest.mark.parametrize(("who", "where", "allowed"), cells(HAS_FEED))
def test_feeds_exist_only_for_public_categories(client_as, world, viewer, who, where, allowed):
    topic = world[where]
    client = client_as(viewer[who])

    category_feed = client.get(f"/forums/{topic.category.slug}/feed/")
    topic_feed = client.get(f"/forums/t/{topic.id}/feed/")

    assert category_feed.status_code == (200 if allowed else 404)
    assert topic_feed.status_code == (200 if allowed else 404)
    if allowed:
        assert "Quokkaword" in topic_feed.content.decode()
