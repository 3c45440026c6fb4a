"""The directory's cached results never outlive a change to who may see whom."""

import pytest

from profiles import services
from tests.profiles.factories import CONNECTIONS, connect, member_with

pytestmark = pytest.mark.django_db


def names(client, path="/members/?country=KE&sort=name") -> list[str]:
    html = client.get(path).content.decode()
    return [name for name in ["Ada Kenya", "Ben Kenya"] if name in html]


@pytest.fixture
def viewer():
    member_with(display_name="Ada Kenya", country="KE")
    member_with(display_name="Ben Kenya", country="KE", country_visibility=CONNECTIONS)
    return member_with(display_name="Vi Ewer", country="KE")


def test_a_member_who_hides_disappears_from_a_cached_page_at_once(
    client_as, viewer, django_capture_on_commit_callbacks
):
    client = client_as(viewer)
    assert names(client) == ["Ada Kenya"]
    ada = viewer.__class__.objects.get(display_name="Ada Kenya")

    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(member=ada, data={"hidden_from_directory": True})

    assert names(client) == []


def test_a_new_connection_sees_connections_only_fields_at_once(
    client_as, viewer, django_capture_on_commit_callbacks
):
    client = client_as(viewer)
    assert names(client) == ["Ada Kenya"]
    ben = viewer.__class__.objects.get(display_name="Ben Kenya")

    with django_capture_on_commit_callbacks(execute=True):
        connect(ben, viewer)

    assert names(client) == ["Ada Kenya", "Ben Kenya"]


def test_a_block_takes_the_blocker_out_of_a_cached_page_at_once(
    client_as, viewer, django_capture_on_commit_callbacks
):
    client = client_as(viewer)
    assert names(client) == ["Ada Kenya"]
    ada = viewer.__class__.objects.get(display_name="Ada Kenya")

    with django_capture_on_commit_callbacks(execute=True):
        services.block_member(blocker=ada, blocked=viewer)

    assert names(client) == []


def test_viewers_never_share_cached_results(client_as, viewer):
    ben = viewer.__class__.objects.get(display_name="Ben Kenya")
    connected = member_with(display_name="Con Nected", country="KE")
    connect(ben, connected)
    assert names(client_as(viewer)) == ["Ada Kenya"]

    assert names(client_as(connected)) == ["Ada Kenya", "Ben Kenya"]
