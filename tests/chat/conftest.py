import pytest

from chat import presence
from tests.chat.factories import RoomFactory


@pytest.fixture(autouse=True)
def _quick_presence(settings):
    """Presence frames follow changes within 50 ms here; nothing else in timing changes."""
    settings.CHAT_PRESENCE_DEBOUNCE = 0.05
    presence._stores.clear()  # a fresh in-memory store per test


@pytest.fixture
def room(db):
    return RoomFactory()
