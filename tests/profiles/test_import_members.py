"""import_members: onboarding a cohort from CSV, row by row, bad rows skipped whole."""

import re

import pytest
from allauth.account.forms import default_token_generator
from django.core import mail
from django.core.management import CommandError, call_command

from profiles.models import Cohort, Profile, User

pytestmark = pytest.mark.django_db

HEADER = "email,display_name,organisation,stakeholder_type,country,expertise,languages,cohort\n"


def run(tmp_path, body: str, *args):
    path = tmp_path / "cohort.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    out, err = [], []

    class Sink:
        def __init__(self, lines):
            self.lines = lines

        def write(self, text):
            self.lines.append(text)

        def flush(self):
            pass

    error = None
    try:
        call_command("import_members", str(path), *args, stdout=Sink(out), stderr=Sink(err))
    except CommandError as raised:
        error = raised
    return "".join(out), "".join(err), error


GOOD = (
    "amina@example.org,Amina Okafor,Coalition,ngo,KE,corruption;victim-support,en;sw,\n"
    "carlos@example.org,Carlos Mendoza,Universidad,academic-institution,MX,cybercrime,es,\n"
)


def test_good_rows_create_approved_members_with_their_profiles(tmp_path):
    out, err, error = run(tmp_path, GOOD)

    assert error is None
    assert "line 2: created amina@example.org" in out
    assert "2 created, 0 updated, 0 skipped." in out
    amina = User.objects.get(email="amina@example.org")
    assert amina.is_approved and not amina.has_usable_password()
    profile = Profile.objects.get(user=amina)
    assert profile.country.code == "KE" and profile.stakeholder_type.slug == "ngo"
    assert sorted(profile.expertise.slugs()) == ["corruption", "victim-support"]
    assert sorted(profile.languages.values_list("code", flat=True)) == ["en", "sw"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("bad@example.org,Bad,Org,ngo,XX,,,", "unknown country 'XX'"),
        ("bad@example.org,Bad,Org,lobbyist,KE,,,", "unknown stakeholder type 'lobbyist'"),
        ("bad@example.org,Bad,Org,ngo,KE,astrology,,", "unknown expertise astrology"),
        ("bad@example.org,Bad,Org,ngo,KE,,klingon,", "unknown language code(s) klingon"),
        ("not-an-email,Bad,Org,ngo,KE,,,", "is not an email address"),
        ("amina@example.org,Amina Again,Org,ngo,KE,,,", "duplicate email (already on line 2)"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_of_it_is_written(tmp_path, row, problem):
    out, err, error = run(tmp_path, GOOD + row + "\n", "--cohort", "Nairobi 2026")

    assert "line 4: skipped" in err and problem in err
    assert "2 created, 0 updated, 1 skipped." in err
    assert error is not None and error.returncode == 1
    assert User.objects.count() == 2
    assert not User.objects.filter(email="bad@example.org").exists()
    assert Cohort.objects.get(name="Nairobi 2026").members.count() == 2


def test_a_known_email_updates_the_member_instead(tmp_path, member):
    row = f"{member.email},New Name,New Org,ngo,KE,corruption,,\n"

    out, err, error = run(tmp_path, row)

    assert "0 created, 1 updated, 0 skipped." in out
    member.refresh_from_db()
    assert member.display_name == "New Name"
    assert Profile.objects.get(user=member).organisation == "New Org"


def test_the_cohort_option_and_column_put_members_in_cohorts(tmp_path):
    body = "amina@example.org,Amina,,,,,,Lagos pilot\ncarlos@example.org,Carlos,,,,,,\n"

    run(tmp_path, body, "--cohort", "SE4U 2026")

    assert Cohort.objects.get(name="SE4U 2026").members.count() == 2
    assert list(Cohort.objects.get(name="Lagos pilot").members.values_list("email", flat=True)) == [
        "amina@example.org"
    ]


def test_invite_emails_new_members_a_link_that_signs_in_once(
    tmp_path, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, err, error = run(tmp_path, GOOD, "--invite", "--base-url", "http://testserver")

    assert len(mail.outbox) == 2
    amina = User.objects.get(email="amina@example.org")
    message = next(m for m in mail.outbox if m.to == ["amina@example.org"])
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    uid, key = link.rstrip("/").split("/")[-1].split("-", 1)
    assert default_token_generator.check_token(amina, key)
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "password" in page.content.decode().lower()
    amina.set_password("a-new-strong-password-1")
    amina.save()
    assert not default_token_generator.check_token(amina, key)  # used once, then dead


def test_a_file_with_wrong_columns_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("mail,name\nx@example.org,X\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"Line 1 \(header\): missing column\(s\): email"):
        call_command("import_members", str(path))

    assert not User.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_members", str(tmp_path / "nope.csv"))
