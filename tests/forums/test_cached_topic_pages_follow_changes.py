"""Topic pages are served from cached rows, yet every change shows on the next view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services
from forums.models import Access, ReactionKind, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_topic(author, public_category):
    return services.create_topic(
        author=author, category=public_category, title="Open notes", body="Opening words"
    )


def test_a_visitor_reading_a_topic_again_costs_no_query(client, open_topic):
    client.get(open_topic.get_absolute_url())

    with CaptureQueriesContext(connection) as context:
        response = client.get(open_topic.get_absolute_url())

    assert response.status_code == 200
    assert b"Opening words" in response.content
    assert context.captured_queries == []


def test_a_topic_whose_category_becomes_members_only_disappears_for_visitors(
    client, open_topic, public_category
):
    assert client.get(open_topic.get_absolute_url()).status_code == 200

    public_category.access = Access.MEMBERS
    public_category.save()
    response = client.get(open_topic.get_absolute_url())

    assert response.status_code == 404


def test_a_topic_hidden_by_a_moderator_disappears_for_visitors(client, open_topic, moderator):
    assert client.get(open_topic.get_absolute_url()).status_code == 200

    services.set_topic_state(
        moderator=moderator, topic=open_topic, state=State.HIDDEN, reason="Off topic"
    )
    response = client.get(open_topic.get_absolute_url())

    assert response.status_code == 404


def test_a_reply_shows_to_visitors_on_their_next_view(client, open_topic, member):
    client.get(open_topic.get_absolute_url())

    services.reply(author=member, topic=open_topic, body="A fresh reply")
    response = client.get(open_topic.get_absolute_url())

    assert b"A fresh reply" in response.content


def test_a_retitled_topic_shows_its_new_title_and_tags(client, open_topic, author):
    client.get(open_topic.get_absolute_url())

    topic = services.edit_topic(editor=author, topic=open_topic, title="Renamed", tags=["visits"])
    response = client.get(topic.get_absolute_url())

    assert b"<h1><bdi>Renamed</bdi></h1>" in response.content
    assert b"#visits" in response.content


def test_a_member_sees_their_own_reaction_pressed_and_controls_for_each_post(
    client_as, open_topic, author, member
):
    reply = services.reply(author=member, topic=open_topic, body="My own reply")
    opening = open_topic.posts.get(number=1)
    services.toggle_reaction(member=member, post=opening, kind=ReactionKind.THANKS)
    client = client_as(member)

    page = client.get(open_topic.get_absolute_url()).content.decode()

    assert 'value="thanks" aria-pressed="true"' in page
    assert 'value="agree" aria-pressed="false"' in page
    assert f'href="/forums/p/{reply.id}/edit/"' in page
    assert f'href="/forums/p/{opening.id}/report/"' in page
    assert f'href="/forums/p/{opening.id}/edit/"' not in page
    assert f'href="/forums/p/{reply.id}/report/"' not in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_moderator_gets_the_hide_link_and_a_visitor_no_controls(client_as, open_topic, moderator):
    opening = open_topic.posts.get(number=1)

    as_moderator = client_as(moderator).get(open_topic.get_absolute_url()).content.decode()
    as_visitor = client_as(None).get(open_topic.get_absolute_url()).content.decode()

    assert f'href="/forums/p/{opening.id}/moderate/hide/"' in as_moderator
    assert "post-actions" not in as_visitor
    assert "csrfmiddlewaretoken" not in as_visitor.split('class="posts"')[1].split("</div>")[0]


def test_each_topic_s_reply_box_posts_to_that_topic_with_a_real_token(
    client_as, open_topic, author, public_category, member
):
    second = services.create_topic(
        author=author, category=public_category, title="Second notes", body="More words"
    )
    client = client_as(member)

    first_page = client.get(open_topic.get_absolute_url()).content.decode()
    second_page = client.get(second.get_absolute_url()).content.decode()

    assert f'action="/forums/t/{open_topic.id}/reply/"' in first_page
    assert f'action="/forums/t/{second.id}/reply/"' in second_page
    assert 'name="csrfmiddlewaretoken" value="' in second_page
    assert "__csrf_token__" not in second_page
    assert "__reply_action__" not in first_page + second_page
