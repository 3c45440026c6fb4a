"""Shipped taxonomy names (clusters, Protocols, stakeholder types, expertise, regions, default
forum categories) read in the reader's language wherever they show; names people typed
(free expertise tags, categories staff added) are shown as typed."""

import pytest
from django.conf import settings
from django.utils import translation

from forums.models import Category
from profiles import services as profile_services
from taxonomy.labels import label
from taxonomy.models import Cluster, ExpertiseTerm, Protocol, StakeholderType

pytestmark = pytest.mark.django_db


def french(text: str) -> str:
    with translation.override("fr"):
        translated = translation.gettext(text)
    assert translated != text, f"the French catalogue lacks {text!r}"
    return translated


def in_french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_a_shipped_name_is_translated_and_a_typed_one_is_not():
    with translation.override("fr"):
        assert label("Civil society") == french("Civil society")
        assert label("Community radio") == "Community radio"  # a free tag
        assert label("Delete") == "Delete"  # an interface string, but no taxonomy name


def test_terms_show_their_translated_names_wherever_str_is_used():
    ngo = StakeholderType.objects.get(slug="ngo")
    tip = Protocol.objects.get(code="tip")
    cluster = Cluster.objects.order_by("order").first()

    with translation.override("fr"):
        assert str(ngo) == ngo.label == french("Non-governmental organization (NGO)")
        assert str(tip) == french("Trafficking in Persons Protocol")
        assert str(cluster) == french(cluster.name)


def test_a_term_staff_renamed_shows_as_they_wrote_it():
    ngo = StakeholderType.objects.get(slug="ngo")
    ngo.name = "NGO (any kind)"

    with translation.override("fr"):
        assert str(ngo) == "NGO (any kind)"


def test_the_directory_shows_types_and_expertise_in_the_readers_language(
    client_as, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(
            member=other_member,
            data={
                "stakeholder_type": StakeholderType.objects.get(slug="ngo"),
                "country": "KE",
                "expertise": ["trafficking-in-persons", "Community radio"],
            },
        )
    term = ExpertiseTerm.objects.get(slug="trafficking-in-persons")

    page = in_french(client_as(member)).get("/members/?country=KE").content.decode()

    ngo_in_french = french("Non-governmental organization (NGO)")
    assert ngo_in_french in page  # the card, the facet and the type filter's options
    assert f'<option value="ngo">{ngo_in_french}</option>' in page
    assert french(term.name) in page
    assert "Community radio" in page


def test_the_directory_chip_of_a_chosen_type_is_translated(
    client_as, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(
            member=other_member,
            data={"stakeholder_type": StakeholderType.objects.get(slug="ngo"), "country": "KE"},
        )

    client = in_french(client_as(member))
    page = client.get("/members/?country=KE&stakeholder_type=ngo").content.decode()

    assert "<bdi>" + french("Non-governmental organization (NGO)") + "</bdi>" in page


def test_a_profile_lists_curated_expertise_translated_and_free_tags_as_typed(
    client_as, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(
            member=other_member,
            data={"expertise": ["forced-labour", "Community radio"]},
        )
    term = ExpertiseTerm.objects.get(slug="forced-labour")

    page = in_french(client_as(member)).get(other_member.get_absolute_url()).content.decode()

    assert french(term.name) in page
    assert "Community radio" in page


def test_default_forum_categories_read_in_the_readers_language(client_as, member):
    research = Category.objects.get(name="Research and data")

    page = in_french(client_as(member)).get("/forums/").content.decode()

    assert french("Research and data") in page
    assert french(research.description) in page
    category_page = in_french(client_as(member)).get(research.get_absolute_url())
    assert f"<h1><bdi>{french('Research and data')}</bdi></h1>" in category_page.content.decode()


def test_profile_form_choices_are_translated(client_as, member):
    page = in_french(client_as(member)).get("/members/me/edit/").content.decode()

    assert french("Non-governmental organization (NGO)") in page
    assert french("Trafficking in Persons Protocol") in page
