"""Every page shows a member their unread count beside Notifications, even without JavaScript."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def unread(member, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=member, kind=Kind.MENTION, text="Hi") for _ in range(count)
    )


def test_the_badge_shows_the_unread_count(client_as, member):
    unread(member, 3)

    html = client_as(member).get("/").content.decode()

    assert "<span data-notification-count>3</span>" in html
    assert 'data-notification-badge data-socket-path="/ws/notifications/">' in html


def test_a_big_count_is_shortened(client_as, member):
    unread(member, 120)

    html = client_as(member).get("/").content.decode()

    assert "<span data-notification-count>99+</span>" in html


def test_with_nothing_unread_the_badge_is_hidden(client_as, member):
    html = client_as(member).get("/").content.decode()

    assert 'data-socket-path="/ws/notifications/" hidden>' in html


def test_the_live_script_loads_deferred_for_members_only(client_as, member):
    member_html = client_as(member).get("/").content.decode()
    visitor_html = client_as(None).get("/").content.decode()

    assert '<script src="/static/notifications/live.js" defer></script>' in member_html
    assert "notifications/live.js" not in visitor_html
    assert "data-notification-badge" not in visitor_html


def test_the_badge_costs_one_query(client_as, member):
    unread(member, 5)
    client = client_as(member)

    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    badge = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(badge) == 1
