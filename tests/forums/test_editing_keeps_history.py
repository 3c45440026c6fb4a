import pytest
from django.core.exceptions import PermissionDenied

from forums import services
from forums.models import ModerationLogEntry

pytestmark = pytest.mark.django_db


def test_an_edit_shows_an_edited_mark_and_keeps_the_earlier_text(client_as, topic, author):
    post = topic.posts.get(number=1)

    services.edit_post(editor=author, post=post, body="Corrected text")

    page = client_as(None).get(topic.get_absolute_url())
    history = client_as(author).get(f"/forums/p/{post.id}/history/").content.decode()
    assert page.status_code in (200, 404)
    assert "Corrected text" in history and "First post" in history
    topic_page = client_as(author).get(topic.get_absolute_url()).content.decode()
    assert f'href="/forums/p/{post.id}/history/">edited' in topic_page


def test_another_member_cannot_edit_a_post(topic, member):
    with pytest.raises(PermissionDenied):
        services.edit_post(editor=member, post=topic.posts.get(number=1), body="Mine now")


def test_a_moderator_edit_is_logged_with_the_reason(topic, moderator):
    post = topic.posts.get(number=1)

    services.edit_post(editor=moderator, post=post, body="Phone number removed", reason="privacy")

    entry = ModerationLogEntry.objects.get(action="edit_post")
    assert (entry.actor, entry.reason, entry.post) == (moderator, "privacy", post)
