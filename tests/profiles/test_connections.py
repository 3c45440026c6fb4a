"""Connections (request with a note, accept, decline, withdraw, remove), blocking and
reporting a profile to the moderators."""

import pytest

from notifications.models import Kind, Notification
from profiles import services
from profiles.models import Connection, MembershipStatus, Report
from tests.profiles.factories import CONNECTIONS, connect, member_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina():
    return member_with(display_name="Amina Okafor", city="Nairobi", country="KE",
                       country_visibility=CONNECTIONS)  # fmt: skip


@pytest.fixture
def carlos():
    return member_with(display_name="Carlos Mendoza")


@pytest.fixture
def rechecked(monkeypatch):
    """The members whose chat sockets were asked to re-check their access."""
    calls = []
    monkeypatch.setattr(
        "chat.services.recheck_member_sockets", lambda *, user_ids: calls.extend(user_ids)
    )
    return calls


def test_a_request_with_a_note_reaches_the_member_and_notifies_them(client_as, amina, carlos):
    response = client_as(carlos).post(f"/members/{amina.username}/connect/", {"note": "Hi!"})

    assert response.status_code == 302
    request = Connection.objects.get(from_user=carlos, to_user=amina)
    assert request.note == "Hi!" and request.state == Connection.State.PENDING
    notice = Notification.objects.get(recipient=amina)
    assert notice.kind == Kind.CONNECTION_REQUEST and "Carlos Mendoza" in notice.text
    page = client_as(amina).get("/members/connections/").content.decode()
    assert "Carlos Mendoza" in page and "Hi!" in page


def test_accepting_connects_both_and_tells_the_sender(client_as, amina, carlos):
    services.request_connection(sender=carlos, recipient=amina)

    client_as(amina).post(f"/members/{carlos.username}/accept/")

    assert Connection.objects.get(from_user=carlos).state == Connection.State.ACCEPTED
    assert Notification.objects.filter(recipient=carlos, kind=Kind.CONNECTION_ACCEPTED).exists()
    assert "Nairobi" in client_as(carlos).get(amina.get_absolute_url()).content.decode()


def test_declining_removes_the_request_without_telling_the_sender(client_as, amina, carlos):
    services.request_connection(sender=carlos, recipient=amina)

    client_as(amina).post(f"/members/{carlos.username}/decline/")

    assert not Connection.objects.exists()
    assert not Notification.objects.filter(recipient=carlos).exists()


def test_the_sender_can_withdraw_an_unanswered_request(client_as, amina, carlos):
    services.request_connection(sender=carlos, recipient=amina)

    client_as(carlos).post(f"/members/{amina.username}/withdraw/")

    assert not Connection.objects.exists()


def test_only_the_recipient_can_accept(client_as, amina, carlos):
    services.request_connection(sender=carlos, recipient=amina)

    response = client_as(carlos).post(f"/members/{amina.username}/accept/")

    assert response.status_code == 404
    assert Connection.objects.get().state == Connection.State.PENDING


def test_asking_someone_who_already_asked_you_connects_you(amina, carlos):
    services.request_connection(sender=carlos, recipient=amina)

    services.request_connection(sender=amina, recipient=carlos)

    assert Connection.objects.get().state == Connection.State.ACCEPTED


def test_removing_a_connection_closes_connections_only_fields(client_as, amina, carlos, rechecked):
    connect(carlos, amina)

    client_as(carlos).post(f"/members/{amina.username}/remove/")

    assert not Connection.objects.exists()
    assert "Nairobi" not in client_as(carlos).get(amina.get_absolute_url()).content.decode()
    assert set(rechecked) == {amina.pk, carlos.pk}


def test_blocking_ends_the_connection_and_rechecks_both_members_sockets(
    client_as, amina, carlos, rechecked
):
    connect(carlos, amina)

    client_as(amina).post(f"/members/{carlos.username}/block/")

    assert not Connection.objects.exists()
    assert set(rechecked) == {amina.pk, carlos.pk}
    assert client_as(carlos).get(amina.get_absolute_url()).status_code == 404


def test_a_blocked_member_cannot_ask_to_connect(client_as, amina, carlos):
    services.block_member(blocker=amina, blocked=carlos)

    response = client_as(carlos).post(f"/members/{amina.username}/connect/")

    assert response.status_code == 404
    assert not Connection.objects.exists()
    assert not Notification.objects.filter(recipient=amina).exists()


def test_unblocking_lets_the_member_find_you_again(client_as, amina, carlos, rechecked):
    services.block_member(blocker=amina, blocked=carlos)

    client_as(amina).post(f"/members/{carlos.username}/unblock/")

    assert client_as(carlos).get(amina.get_absolute_url()).status_code == 200


def test_every_connection_action_needs_a_post(client_as, amina, carlos):
    for action in ["connect", "accept", "decline", "withdraw", "remove", "block", "unblock"]:
        response = client_as(carlos).get(f"/members/{amina.username}/{action}/")

        assert response.status_code == 405, action


def test_a_report_reaches_the_moderators_list(client_as, amina, carlos, moderator):
    client_as(carlos).post(
        f"/members/{amina.username}/report/", {"reason": "impersonation", "details": "Fake"}
    )

    report = Report.objects.get()
    assert report.reporter == carlos and report.member == amina
    page = client_as(moderator).get("/moderation/reports/").content.decode()
    assert "Amina Okafor" in page and "Fake" in page


def test_members_who_are_not_moderators_cannot_see_reports(client_as, carlos):
    assert client_as(carlos).get("/moderation/reports/").status_code == 404


def test_a_moderator_can_close_a_report_and_suspend_the_member(
    client_as, amina, carlos, moderator, rechecked
):
    report = services.report_member(reporter=carlos, member=amina, reason="spam")

    client_as(moderator).post(
        f"/moderation/reports/{report.pk}/resolve/", {"resolution": "Spam", "suspend": "on"}
    )

    amina.refresh_from_db()
    assert amina.status == MembershipStatus.SUSPENDED
    assert Report.objects.get().resolved_by == moderator
    assert amina.pk in rechecked
    assert client_as(carlos).get(amina.get_absolute_url()).status_code == 404


def test_the_message_button_appears_only_once_chat_offers_direct_messages(client_as, amina, carlos):
    from django.urls import NoReverseMatch, reverse

    html = client_as(carlos).get(amina.get_absolute_url()).content.decode()

    try:
        url = reverse("chat:direct-open")
    except NoReverseMatch:
        assert "Send a message" not in html
    else:
        assert f'action="{url}"' in html and f'value="{amina.username}"' in html
