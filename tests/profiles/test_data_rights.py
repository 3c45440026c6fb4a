"""Data rights: download one's own data as JSON; delete one's account, keeping posts as a
former member's and leaving none of the member's personal data reachable."""

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from profiles import services
from profiles.models import Block, Connection, Profile, Report, User
from tests.factories import CohortFactory
from tests.profiles.factories import connect, member_with
from tests.profiles.test_avatar_upload import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina():
    amina = member_with(
        display_name="Amina Okafor",
        organisation="Amina's Coalition",
        country="KE",
        city="Nairobi",
        expertise=["corruption", "Port Security"],
        languages=["en", "sw"],
        bio="Amina's own **bio**.",
        links=["https://amina.example.org/"],
        open_to=["mentoring"],
        time_zone="Africa/Nairobi",
        preferred_language="fr",
    )
    CohortFactory(name="Nairobi 2026").members.add(amina)
    return amina


@pytest.fixture
def carlos():
    return member_with(
        display_name="Carlos Mendoza",
        organisation="Carlos Secret Org",
        bio="Carlos private bio",
        country="MX",
        city="Tijuana",
    )


def export(client_as, user) -> dict:
    response = client_as(user).get("/members/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_export_holds_all_of_ones_own_data(client_as, amina, carlos):
    services.request_connection(sender=amina, recipient=carlos, note="Amina's note to Carlos")
    services.block_member(blocker=amina, blocked=member_with(display_name="Spammer"))

    data = export(client_as, amina)

    assert data["account"]["email"] == amina.email
    assert data["account"]["display_name"] == "Amina Okafor"
    profile = data["profile"]
    assert profile["organisation"] == "Amina's Coalition"
    assert profile["country"] == "KE" and profile["city"] == "Nairobi"
    assert profile["expertise"] == ["Corruption", "Port Security"]
    assert profile["languages"] == ["en", "sw"]
    assert profile["bio"] == "Amina's own **bio**."
    assert profile["links"] == ["https://amina.example.org/"]
    assert profile["time_zone"] == "Africa/Nairobi" and profile["preferred_language"] == "fr"
    assert profile["visibility"]["country"] == "members"
    assert data["cohorts"] == ["Nairobi 2026"]
    assert data["connections"][0]["note"] == "Amina's note to Carlos"
    assert len(data["blocked"]) == 1


def test_the_export_holds_nothing_of_other_members(client_as, amina, carlos):
    incoming = services.request_connection(
        sender=carlos, recipient=amina, note="Carlos's private note"
    )
    services.accept_connection(member=amina, connection=incoming)

    raw = client_as(amina).get("/members/me/export/").content.decode()

    for secret in [carlos.email, "Carlos Secret Org", "Carlos private bio", "Tijuana",
                   "Carlos's private note", "Carlos Mendoza"]:  # fmt: skip
        assert secret not in raw
    assert carlos.username in raw  # who one is connected with is one's own data


def test_the_export_is_for_the_signed_in_member_only(client_as, amina):
    assert client_as(None).get("/members/me/export/").status_code == 302


def _delete(client_as, user):
    return client_as(user).post("/members/me/delete/", {"confirm": "DELETE"})


def test_deleting_needs_the_word_delete(client_as, amina):
    response = client_as(amina).post("/members/me/delete/", {"confirm": "yes"})

    assert response.status_code == 400
    assert User.objects.get(pk=amina.pk).erased_at is None


def test_deleting_an_account_erases_every_personal_field(
    client_as, amina, carlos, django_capture_on_commit_callbacks
):
    client = client_as(amina)
    upload(client, jpeg_with_gps())
    photo = Path(settings.MEDIA_ROOT) / Profile.objects.get(user=amina).avatar.name
    connect(amina, carlos)
    services.block_member(blocker=amina, blocked=member_with())
    report = services.report_member(reporter=amina, member=carlos, reason="spam")
    old_username, old_email = amina.username, amina.email

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client_as, amina)

    assert response.status_code == 302
    erased = User.objects.get(pk=amina.pk)
    assert erased.name == "former member"
    assert erased.display_name == "" and old_email not in erased.email
    assert not erased.is_active and not erased.has_usable_password()
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert not Profile.objects.filter(user=erased).exists()
    assert not Connection.objects.filter(from_user=erased).exists()
    assert not Connection.objects.filter(to_user=erased).exists()
    assert not Block.objects.filter(blocker=erased).exists()
    assert not erased.cohorts.exists()
    assert Report.objects.get(pk=report.pk).reporter is None
    assert not photo.exists()
    assert not User.objects.filter(username=old_username).exists()


def test_nothing_of_a_deleted_member_is_reachable_by_others(client_as, amina, carlos):
    old_url = amina.get_absolute_url()

    _delete(client_as, amina)

    client = client_as(carlos)
    assert client.get(old_url).status_code == 404
    for path in ["/members/?country=", "/members/?q=Okafor", "/members/?country=KE"]:
        cards = client.get(path).context["result"].cards
        assert [card.user for card in cards if card.user != carlos] == [], path
    for path in ["/members/map/", "/"]:
        html = client.get(path).content.decode()
        assert "Okafor" not in html and "Coalition" not in html, path
    assert "Kenya" not in client.get("/members/map/").content.decode()


def test_a_deleted_member_is_signed_out_and_cannot_sign_in_again(client_as, client, amina):
    email = amina.email
    _delete(client_as, amina)

    assert client.get("/members/").status_code == 302
    assert not client.login(email=email, password="correct-horse-battery-staple")


def test_the_user_row_stays_so_posts_keep_their_author(amina):
    services.delete_account(member=amina)

    assert User.objects.filter(pk=amina.pk).exists()
    assert str(User.objects.get(pk=amina.pk)) == "former member"
