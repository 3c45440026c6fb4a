"""Editing one's profile: saved fields, a preview that saves nothing, sanitised Markdown,
clear errors that keep what was typed, and the settings other parts of the site read."""

import pytest

from profiles.models import Profile

pytestmark = pytest.mark.django_db


def form(**changes) -> dict:
    data = {"display_name": "Amina Okafor", "time_zone": "UTC", "preferred_language": "en"}
    data.update({f"{field}_visibility": "1" for field in Profile.PRIVATE_FIELDS})
    data.update(changes)
    return data


def test_a_saved_profile_shows_on_the_members_page(client_as, member):
    client = client_as(member)

    response = client.post(
        "/members/me/edit/",
        form(
            organisation="Coalition",
            country="KE",
            city="Nairobi",
            languages=["en", "sw"],
            open_to=["mentoring"],
            links="https://example.org/amina",
        ),  # fmt: skip
    )

    assert response.status_code == 302
    page = client.get(member.get_absolute_url()).content.decode()
    for text in ["Coalition", "Nairobi", "Kenya", "Swahili", "mentoring", "example.org/amina"]:
        assert text in page


def test_the_bio_is_rendered_once_on_save_and_sanitised(client_as, member):
    client_as(member).post(
        "/members/me/edit/", form(bio="**Bold** <script>alert(1)</script> [x](javascript:y)")
    )

    profile = Profile.objects.get(user=member)
    assert "<strong>Bold</strong>" in profile.bio_html
    assert "<script" not in profile.bio_html and 'href="javascript' not in profile.bio_html


def test_preview_shows_the_rendered_bio_and_saves_nothing(client_as, member):
    response = client_as(member).post(
        "/members/me/edit/", form(bio="*previewed*", organisation="Unsaved", preview="1")
    )

    assert "<em>previewed</em>" in response.content.decode()
    assert Profile.objects.get(user=member).organisation == ""


def test_a_bad_link_is_refused_and_everything_typed_is_kept(client_as, member):
    response = client_as(member).post(
        "/members/me/edit/", form(links="javascript:alert(1)", organisation="Kept Org")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "is not a web address" in html and 'value="Kept Org"' in html
    assert Profile.objects.get(user=member).organisation == ""


def test_time_zone_and_language_for_emails_are_stored(client_as, member):
    client_as(member).post(
        "/members/me/edit/", form(time_zone="America/Bogota", preferred_language="es")
    )

    profile = Profile.objects.get(user=member)
    assert (profile.time_zone, profile.preferred_language) == ("America/Bogota", "es")


def test_an_unknown_time_zone_is_refused(client_as, member):
    response = client_as(member).post("/members/me/edit/", form(time_zone="Mars/Olympus"))

    assert response.status_code == 400
    assert Profile.objects.get(user=member).time_zone == "UTC"


def test_a_member_keeps_an_older_time_zone_name_that_the_list_no_longer_offers(client_as, member):
    Profile.objects.filter(user=member).update(time_zone="US/Eastern")  # an alias: not listed
    client = client_as(member)

    page = client.get("/members/me/edit/").content.decode()
    client.post("/members/me/edit/", form(time_zone="US/Eastern", organisation="Kept"))

    assert "<option selected>US/Eastern</option>" in page
    assert "<option>Etc/GMT+5</option>" not in page
    profile = Profile.objects.get(user=member)
    assert (profile.time_zone, profile.organisation) == ("US/Eastern", "Kept")


def test_a_member_can_see_their_page_as_a_visitor_would(client_as, member):
    client = client_as(member)
    client.post("/members/me/edit/", form(organisation="Members Only Org", city="Nairobi",
                                          country="KE", country_visibility="0"))  # fmt: skip

    as_visitor = client.get(member.get_absolute_url() + "?as=visitor").content.decode()

    assert "Nairobi" in as_visitor and "Members Only Org" not in as_visitor


def test_the_edit_page_offers_every_visibility_level(client_as, member):
    html = client_as(member).get("/members/me/edit/").content.decode()

    for label in ["everyone, including visitors", "members", "my connections", "only me"]:
        assert label in html
    assert 'enctype="multipart/form-data"' in html
