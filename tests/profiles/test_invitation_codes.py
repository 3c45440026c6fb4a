import pytest

from profiles.models import MembershipStatus, User
from tests.factories import InvitationFactory
from tests.profiles.test_membership_by_approval import sign_up

pytestmark = pytest.mark.django_db


def test_a_cohort_invitation_code_approves_at_once_and_joins_the_cohort(client):
    invitation = InvitationFactory()

    sign_up(client, "trainee@example.org", code=invitation.code)

    user = User.objects.get(email="trainee@example.org")
    assert user.status == MembershipStatus.APPROVED
    assert invitation.cohort.members.filter(pk=user.pk).exists()
    invitation.refresh_from_db()
    assert invitation.use_count == 1


def test_a_wrong_code_gets_a_clear_error_and_keeps_what_was_typed(client):
    response = sign_up(client, "trainee@example.org", code="not-a-real-code")

    html = response.content.decode()
    assert response.status_code == 200
    assert "This invitation code is not valid" in html
    assert 'value="trainee@example.org"' in html
    assert not User.objects.filter(email="trainee@example.org").exists()


def test_a_used_up_code_gets_the_same_clear_error(client):
    invitation = InvitationFactory(max_uses=1, use_count=1)

    response = sign_up(client, "late@example.org", code=invitation.code)

    assert "This invitation code is not valid" in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()


def test_an_emailed_invitation_works_only_for_its_address(client):
    invitation = InvitationFactory(email="invited@example.org", max_uses=1)

    refused = sign_up(client, "someone-else@example.org", code=invitation.code)
    sign_up(client, "invited@example.org", code=invitation.code)

    assert "This invitation code is not valid" in refused.content.decode()
    assert User.objects.get(email="invited@example.org").status == MembershipStatus.APPROVED
