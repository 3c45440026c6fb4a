"""seed_demo's members: realistic, varied and private in different ways, reproducibly."""

import random

import pytest

from profiles import demo
from profiles.models import Profile, Visibility

pytestmark = pytest.mark.django_db


def seed(count=300, seed=7):
    return demo.seed_members(count=count, rng=random.Random(seed), progress=lambda n: None)


def test_demo_members_spread_over_countries_types_expertise_and_languages():
    seed()

    profiles = Profile.objects.filter(user__username__startswith="demo-")
    assert profiles.count() == 300
    assert profiles.values("country").distinct().count() >= 25
    assert profiles.values("stakeholder_type").distinct().count() >= 10
    assert profiles.filter(expertise__isnull=False).distinct().count() == 300
    assert profiles.filter(languages__code="es").exists()
    assert profiles.exclude(bio_html="").exists()


def test_demo_members_have_a_mix_of_privacy_settings():
    seed()

    profiles = Profile.objects.filter(user__username__startswith="demo-")
    assert profiles.filter(hidden_from_directory=True).exists()
    for level in Visibility:
        assert profiles.filter(country_visibility=level).exists() or level == Visibility.EVERYONE
    assert profiles.filter(organisation_visibility=Visibility.EVERYONE).exists()


def test_seeding_twice_adds_nothing_and_the_same_seed_gives_the_same_people():
    seed(count=50)
    first = list(Profile.objects.order_by("user__username").values_list("country", flat=True))

    assert seed(count=50) == 0
    assert (
        list(Profile.objects.order_by("user__username").values_list("country", flat=True)) == first
    )
