"""Counts that grow large (posts, topics, members) are grouped the way each language does."""

import pytest
from django.conf import settings

from forums.models import Category

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "12,345"), ("fr", "12\xa0345"), ("ru", "12\xa0345"), ("zh-hans", "12345")],
)
def test_a_categorys_post_count_is_grouped_in_the_readers_language(
    client_as, member, language, written
):
    Category.objects.filter(slug="research-and-data").update(post_count=12345)
    client = client_as(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get("/forums/").content.decode()

    assert f'<td class="num">{written}</td>' in page
