import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_moderators_find_every_queue_from_one_page(client_as, moderator):
    html = client_as(moderator).get(reverse("moderation-index")).content.decode()

    for name in ["moderation:members", "moderation:reports", "forums:moderation-queue"]:
        assert f'href="{reverse(name)}"' in html


def test_members_who_are_not_moderators_get_404(client_as, member):
    assert client_as(member).get(reverse("moderation-index")).status_code == 404
