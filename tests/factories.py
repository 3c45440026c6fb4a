"""factory_boy factories: rows for tests. State with rules comes from services instead."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from profiles import services
from profiles.models import Cohort, Invitation, MembershipStatus, Profile, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """An approved member with a verified email and an (empty) profile."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Faker("name")
    status = MembershipStatus.APPROVED
    decided_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            Profile.objects.get_or_create(user=self)
            services.refresh_directory(user_ids=[self.pk])  # as create_member does


class PendingUserFactory(UserFactory):
    status = MembershipStatus.PENDING
    decided_at = None


class ModeratorFactory(UserFactory):
    is_moderator = True


class FacilitatorFactory(UserFactory):
    is_facilitator = True


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"SE4U cohort {n}")
    slug = factory.Sequence(lambda n: f"se4u-cohort-{n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    cohort = factory.SubFactory(CohortFactory)
    max_uses = 30
