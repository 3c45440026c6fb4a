import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache, caches
from django.db import connections

from forums.services import ensure_default_categories
from profiles.selectors import directory as directory_selectors
from taxonomy.models import Cluster
from taxonomy.services import load_taxonomy
from tests import factories
from tests.services import require_or_skip


def pytest_runtest_setup(item: pytest.Item) -> None:
    require_or_skip(item)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # throttles and presence must not leak between tests
    caches["fragments"].clear()
    # Every directory statement reused from its shape is compared with one built afresh
    # for the request's own viewer and values (profiles.selectors.statements).
    monkeypatch.setattr(directory_selectors.STATEMENTS, "check_every_reuse", True)


def _load_shipped_taxonomy() -> None:
    if not Cluster.objects.exists():
        load_taxonomy()
        ensure_default_categories()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The taxonomy loaded once into the test database, not once per test: each test's
    rollback keeps it (loading it costs about 0.2 s on SQLite and 0.6 s on PostgreSQL).

    At the end, before the test database is dropped, the connections of asgiref's sync
    thread are closed: the room sockets keep theirs open for a while (chat.database), and
    PostgreSQL will not drop a database someone is still connected to."""
    with django_db_blocker.unblock():
        _load_shipped_taxonomy()
    yield
    with django_db_blocker.unblock():
        asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())


@pytest.fixture(autouse=True)
def taxonomy(request):
    """The shipped taxonomy, as a fresh database has it (transactional tests flush it, so
    the next test that needs it loads it again)."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    elif marker is None:
        return  # a test without the database
    _load_shipped_taxonomy()


@pytest.fixture
def member(db):
    return factories.UserFactory(display_name="Amina Okafor")


@pytest.fixture
def other_member(db):
    return factories.UserFactory(display_name="Carlos Mendoza")


@pytest.fixture
def pending_member(db):
    return factories.PendingUserFactory(display_name="Pat Pending")


@pytest.fixture
def moderator(db):
    return factories.ModeratorFactory(display_name="Mo Derator")


@pytest.fixture
def facilitator(db):
    return factories.FacilitatorFactory(display_name="Fay Cilitator")


@pytest.fixture
def client_as(client):
    """client_as(user) → the test client signed in as `user` (None: signed out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
