"""The directory form's choices (and their <option> lists) are kept in the process for a while:
right after the machine boots they are still offered, and staff edits show once they expire."""

import pytest

from network import cache as process_cache
from profiles.forms import DirectoryForm
from taxonomy.models import ExpertiseGroup, ExpertiseTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """time.monotonic as the kept values read it, starting as on a machine booted 10 s ago
    (the monotonic clock counts from boot)."""
    now = {"seconds": 10.0}
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: now["seconds"])
    DirectoryForm.choices_kept.clear()
    yield now
    DirectoryForm.choices_kept.clear()


def test_a_just_booted_machine_offers_every_filter_and_applies_it(clock, client_as, member):
    response = client_as(member).get("/members/?country=KE&expertise=corruption")

    page = response.content.decode()
    assert '<option value="KE" selected>Kenya</option>' in page
    assert '<option value="corruption" selected>' in page
    assert '<option value="ngo">' in page
    assert not response.context["form"].errors


def test_staff_edits_to_the_vocabulary_show_once_the_kept_choices_expire(clock, client_as, member):
    client = client_as(member)
    client.get("/members/")
    ExpertiseTerm.objects.create(
        slug="sanctions-evasion", name="Sanctions evasion", group=ExpertiseGroup.objects.first()
    )

    clock["seconds"] += DirectoryForm.CHOICES_SECONDS - 1
    assert '<option value="sanctions-evasion">' not in client.get("/members/").content.decode()

    clock["seconds"] += 2
    assert '<option value="sanctions-evasion">' in client.get("/members/").content.decode()
