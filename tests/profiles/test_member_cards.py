"""Member cards in the directory and the suggestions (profiles.cards): what they show, in the
reader's language, with whatever members typed shown as text, never as markup."""

import pytest

from profiles.models import Profile, Visibility
from taxonomy.models import StakeholderType
from tests.profiles.factories import member_with

pytestmark = pytest.mark.django_db

SIX_TERMS = [
    "trafficking-in-persons", "forced-labour", "migrant-smuggling",
    "firearms-trafficking", "drug-trafficking", "money-laundering",
]  # fmt: skip


@pytest.fixture
def viewer():
    return member_with(display_name="Vi Ewer", country="KE")


@pytest.fixture
def card_html(client_as, viewer):
    def directory_card(member, language="en"):
        client = client_as(viewer)
        client.cookies["django_language"] = language
        html = client.get("/members/?country=KE&sort=name").content.decode()
        start = html.index(f'href="/members/{member.username}/"')
        return html[html.rindex("<article", 0, start) : html.index("</article>", start)]

    return directory_card


def test_what_members_typed_is_shown_as_text(viewer, card_html):
    member = member_with(
        display_name="<b>Zed</b> & co",
        country="KE",
        city='Nairobi"><script>alert(1)</script>',
        organisation="<img src=x onerror=alert(1)>",
    )

    card = card_html(member)

    assert "<bdi>&lt;b&gt;Zed&lt;/b&gt; &amp; co</bdi>" in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "Nairobi&quot;&gt;&lt;script&gt;" in card
    assert "<script" not in card and "<img" not in card
    assert '<span class="avatar avatar-small avatar-initial" aria-hidden="true">&lt;</span>' in card


def test_labels_are_in_the_readers_language_and_extra_terms_are_counted(viewer, card_html):
    member = member_with(
        display_name="Ada",
        country="KE",
        stakeholder_type=StakeholderType.objects.get(slug="ngo"),
        expertise=SIX_TERMS,
    )

    english, french = card_html(member), card_html(member, "fr")

    assert "Non-governmental organization (NGO)" in english
    assert english.count("<li>") == 6 and "<li>and 1 more</li>" in english
    assert "Organisation non gouvernementale (ONG)" in french
    assert "<li>et 1 autre</li>" in french
    assert "Kenya</p>" in english


def test_a_card_leaves_out_what_the_viewer_may_not_see(viewer, card_html):
    member = member_with(
        display_name="Hidden Bits",
        country="KE",
        organisation="Secret Org",
        expertise=["money-laundering"],
        organisation_visibility=Visibility.ONLY_ME,
        expertise_visibility=Visibility.ONLY_ME,
    )

    card = card_html(member)

    assert "Hidden Bits" in card
    assert "Secret Org" not in card
    assert "Money laundering" not in card and 'class="tags"' not in card


@pytest.mark.parametrize(
    ("visibility", "shown"), [(Visibility.MEMBERS, True), (Visibility.ONLY_ME, False)]
)
def test_a_card_shows_the_small_photo_where_the_viewer_may_see_it(
    viewer, card_html, visibility, shown
):
    member = member_with(display_name="Pic Ture", country="KE", avatar_visibility=visibility)
    Profile.objects.filter(user=member).update(
        avatar="avatars/pic.jpg", avatar_small="avatars/pic-small.jpg"
    )

    card = card_html(member)

    assert ('src="/media/avatars/pic-small.jpg"' in card) is shown
    assert ('avatar-initial" aria-hidden="true">P</span>' in card) is not shown
