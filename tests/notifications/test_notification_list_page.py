"""/notifications/: the member's notifications, read and unread, paged by key."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import Kind, Notification
from notifications.selectors import PAGE_SIZE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def many(member, count: int, **fields) -> list[Notification]:
    Notification.objects.bulk_create(
        Notification(recipient=member, kind=Kind.REPLY, text=f"Reply {n}", url=f"/r/{n}/", **fields)
        for n in range(count)
    )
    return list(Notification.objects.filter(recipient=member).order_by("-id"))


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_page_costs_the_same_for_many_rows(client_as, member):
    client = client_as(member)
    many(member, 2)
    client.get("/")  # the member's time zone is read once, then cached
    few = queries_for(client, "/notifications/")
    rows = many(member, 400)

    first = queries_for(client, "/notifications/")
    deep = queries_for(client, f"/notifications/?before={rows[-10].id}")

    assert first == deep == few
    assert first <= 6  # session, member, the page, the badge; a little room for the layout


def test_pages_follow_each_other_by_key_without_gaps(client_as, member):
    rows = many(member, PAGE_SIZE + 5)
    client = client_as(member)

    first = client.get("/notifications/")
    second = client.get(f"/notifications/?before={first.context['page'].older_than}")

    seen = first.context["page"].notifications + second.context["page"].notifications
    assert [n.id for n in seen] == [n.id for n in rows]
    assert second.context["page"].older_than is None


def test_a_member_sees_only_their_own(client_as, member, other_member):
    many(other_member, 3)
    mine = many(member, 1)

    response = client_as(member).get("/notifications/")

    assert [n.id for n in response.context["page"].notifications] == [mine[0].id]


def test_unread_only_hides_what_was_read(client_as, member):
    rows = many(member, 3)
    Notification.objects.filter(pk=rows[0].pk).update(read_at="2026-01-01T00:00Z")

    response = client_as(member).get("/notifications/?show=unread")

    assert [n.id for n in response.context["page"].notifications] == [r.id for r in rows[1:]]


def test_unread_and_read_look_different(client_as, member):
    rows = many(member, 2)
    Notification.objects.filter(pk=rows[0].pk).update(read_at="2026-01-01T00:00Z")

    html = client_as(member).get("/notifications/").content.decode()

    assert f'class="notification" id="notification-{rows[0].id}"' in html
    assert f'class="notification unread" id="notification-{rows[1].id}"' in html


def test_marking_one_read_by_post(client_as, member):
    row = many(member, 1)[0]

    response = client_as(member).post(f"/notifications/{row.id}/read/")

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_marking_read_returns_to_a_local_page_only(client_as, member):
    rows = many(member, 2)
    client = client_as(member)

    local = client.post(
        f"/notifications/{rows[0].id}/read/", {"next": "/notifications/?show=unread"}
    )
    foreign = client.post(f"/notifications/{rows[1].id}/read/", {"next": "https://evil.example/"})

    assert local["Location"] == "/notifications/?show=unread"
    assert foreign["Location"] == "/notifications/"


def test_another_members_notification_cannot_be_marked(client_as, member, other_member):
    theirs = many(other_member, 1)[0]

    response = client_as(member).post(f"/notifications/{theirs.id}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client_as, member):
    row = many(member, 1)[0]

    response = client_as(member).get(f"/notifications/{row.id}/read/")

    assert response.status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_marking_all_read_spares_what_arrived_after_the_page(client_as, member):
    shown = many(member, 3)
    newer = Notification.objects.create(recipient=member, kind=Kind.MENTION, text="Just now")

    client_as(member).post("/notifications/read-all/", {"up_to": shown[0].id})

    assert not Notification.objects.filter(pk__in=[n.pk for n in shown], read_at=None).exists()
    newer.refresh_from_db()
    assert newer.read_at is None


def test_marking_needs_the_csrf_token(member):
    row = many(member, 1)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")

    one = client.post(f"/notifications/{row.id}/read/")
    every = client.post("/notifications/read-all/")

    assert one.status_code == every.status_code == 403
    row.refresh_from_db()
    assert row.read_at is None


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_junk_page_key_shows_the_first_page(client_as, member):
    many(member, 2)

    response = client_as(member).get("/notifications/?before=abc")

    assert response.status_code == 200
    assert len(response.context["page"].notifications) == 2


def test_the_text_is_escaped(client_as, member):
    Notification.objects.create(
        recipient=member, kind=Kind.MENTION, text="<script>alert(1)</script>", url="/x/"
    )

    html = client_as(member).get("/notifications/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_new_member_is_told_there_is_nothing_new(client_as):
    response = client_as(UserFactory()).get("/notifications/")

    assert "Nothing new." in response.content.decode()
