import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from profiles.models import Profile, User

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int]:
    return User.objects.count(), Profile.objects.count()


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", "--members", "30", "--topics", "0", "--posts", "0", "--messages", "0")
    first = counts()

    call_command("seed_demo", "--members", "30", "--topics", "0", "--posts", "0", "--messages", "0")

    assert counts() == first
    assert first[0] == 32  # 30 demo members, the demo member and the moderator
    output = capsys.readouterr().out
    assert "demo@example.org" in output and "moderator@example.org" in output


def test_seed_demo_gives_the_same_people_for_the_same_seed():
    with transaction.atomic():  # the first run is rolled back, as if on another machine
        call_command("seed_demo", "--members", "5", "--seed", "7", "--quiet-logins")
        names = list(User.objects.order_by("username").values_list("display_name", flat=True))
        transaction.set_rollback(True)

    call_command("seed_demo", "--members", "5", "--seed", "7", "--quiet-logins")

    assert list(User.objects.order_by("username").values_list("display_name", flat=True)) == names
    assert len(names) == 7


def test_add_member_creates_an_approved_member_who_can_sign_in(client):
    call_command(
        "add_member", "lucia", "--email", "lucia@example.org", "--password", "pw-long-enough-9",
        "--country", "MX", "--stakeholder-type", "academic-institution",
        "--expertise", "trafficking-in-persons,migrant-smuggling", "--moderator",
    )  # fmt: skip

    lucia = User.objects.get(username="lucia")
    assert lucia.is_approved and lucia.is_moderator
    assert lucia.profile.country.code == "MX"
    assert lucia.profile.stakeholder_type.slug == "academic-institution"
    assert sorted(lucia.profile.expertise.slugs()) == [
        "migrant-smuggling",
        "trafficking-in-persons",
    ]
    response = client.post(
        "/accounts/login/", {"login": "lucia@example.org", "password": "pw-long-enough-9"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--country", "XX", "Unknown country code 'XX'"),
        ("--stakeholder-type", "secret-society", "Unknown stakeholder type 'secret-society'"),
        ("--expertise", "trafficking-in-persons,alchemy", "Unknown expertise slug(s): alchemy"),
    ],
)
def test_add_member_rejects_unknown_values_with_exit_code_2(option, value, message):
    with pytest.raises(CommandError) as error:
        call_command(
            "add_member", "x", "--email", "x@example.org", "--password", "p" * 12, option, value
        )

    assert message in str(error.value)
    assert error.value.returncode == 2
    assert not User.objects.filter(username="x").exists()


def test_add_member_refuses_a_taken_email(member):
    with pytest.raises(CommandError) as error:
        call_command("add_member", "again", "--email", member.email, "--password", "p" * 12)

    assert "exists" in str(error.value)
    assert error.value.returncode == 2
