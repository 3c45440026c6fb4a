"""Expertise tags: the curated vocabulary keeps the taxonomy's slugs; free tags are
normalised so spellings of one idea become one tag."""

import pytest
from taggit.models import Tag

from profiles import services
from profiles.models import Profile
from tests.profiles.factories import member_with

pytestmark = pytest.mark.django_db


def tags_of(user) -> list[str]:
    return sorted(Profile.objects.get(user=user).expertise.slugs())


def test_spellings_of_one_free_tag_become_one_tag():
    a = member_with(expertise=["Human Trafficking"])
    b = member_with(expertise=["human-trafficking"])
    c = member_with(expertise=["  human   trafficking "])

    assert tags_of(a) == tags_of(b) == tags_of(c) == ["human-trafficking"]
    assert Tag.objects.filter(slug="human-trafficking").count() == 1


def test_a_curated_term_typed_by_name_becomes_the_curated_tag():
    member = member_with(expertise=["MONEY LAUNDERING", "money-laundering"])

    assert tags_of(member) == ["money-laundering"]
    assert Tag.objects.get(slug="money-laundering").name == "Money laundering"


def test_curated_terms_use_the_taxonomy_slugs():
    member = member_with(expertise=["trafficking-in-persons", "cybercrime"])

    assert tags_of(member) == ["cybercrime", "trafficking-in-persons"]


def test_tags_in_other_scripts_keep_their_letters():
    member = member_with(expertise=["الاتجار بالبشر"])

    assert tags_of(member) == ["الاتجار-بالبشر"]


def test_a_second_spelling_reuses_the_first_tags_name():
    member_with(expertise=["Port Security"])
    member = member_with(expertise=["port_security"])

    assert [tag.name for tag in Profile.objects.get(user=member).expertise.all()] == [
        "Port Security"
    ]


def test_the_edit_form_offers_curated_terms_and_accepts_free_ones(client_as, member):
    form = {
        "display_name": "Amina",
        "time_zone": "UTC",
        "preferred_language": "en",
        "expertise": ["corruption"],
        "other_expertise": "Port Security, port-security",
    }
    form.update({f"{field}_visibility": "1" for field in Profile.PRIVATE_FIELDS})

    response = client_as(member).post("/members/me/edit/", form)

    assert response.status_code == 302
    assert tags_of(member) == ["corruption", "port-security"]


def test_punctuation_only_values_add_no_tag():
    member = member_with()

    services.update_profile(member=member, data={"expertise": [" - ", ",,"]})

    assert tags_of(member) == []
