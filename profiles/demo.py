"""Demo members for `seed_demo`: reproducible from a seed, idempotent by username."""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from profiles.models import MembershipStatus, Profile, User
from profiles.services import create_member
from taxonomy.models import StakeholderType

DEMO_MEMBER = {"username": "demo", "email": "demo@example.org", "password": "demo-member-pass"}
DEMO_MODERATOR = {
    "username": "moderator",
    "email": "moderator@example.org",
    "password": "demo-moderator-pass",
}

FIRST_NAMES = [
    "Amina", "Carlos", "Mei", "Olga", "Kwame", "Fatima", "Lucía", "Arjun", "Sofia", "Yusuf",
    "Nadia", "Pierre", "Ana", "Tomás", "Leila", "Chen", "Irina", "Samuel", "Aisha", "Diego",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Mendoza", "Wang", "Petrova", "Mensah", "Haddad", "García", "Sharma", "Rossi",
    "Demir", "Karimi", "Dubois", "Silva", "Novak", "Nasser", "Li", "Ivanova", "Kamau", "Bello",
]  # fmt: skip
ORGANISATIONS = [
    "Coalition against Trafficking", "Institute for Security Studies", "Open Justice Network",
    "Migrant Rights Centre", "University Law Faculty", "Transparency Forum",
    "Victim Support Alliance", "Firearms Control Initiative", "Cyber Integrity Lab",
]  # fmt: skip
COUNTRIES = [
    "KE", "NG", "ZA", "MX", "BR", "CO", "IN", "TH", "PH", "UA", "RS", "AL", "FR", "IT", "ES",
    "DE", "TR", "JO", "EG", "MA", "CN", "ID", "PK", "AR", "PE", "GH", "SN", "MD", "KG", "FJ",
]  # fmt: skip


def ensure_demo_logins() -> tuple[User, User]:
    """The demo member and moderator whose logins `make run` prints."""
    users = []
    for spec, is_moderator in [(DEMO_MEMBER, False), (DEMO_MODERATOR, True)]:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = create_member(
                username=spec["username"],
                email=spec["email"],
                password=spec["password"],
                display_name="Demo Moderator" if is_moderator else "Demo Member",
                is_moderator=is_moderator,
                is_facilitator=is_moderator,
            )
        users.append(user)
    return users[0], users[1]


def seed_members(*, count: int, rng: random.Random, progress) -> int:
    """Create up to `count` demo members (demo-0001 …); return how many were new."""
    wanted = [f"demo-{index:05d}" for index in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    types = list(StakeholderType.objects.all())
    password = make_password("demo-member-pass")  # hashed once: hashing is the slow part
    now = timezone.now()
    new_users = []
    details = {}
    for username in wanted:
        # Draw for every member, new or not, so the same seed gives the same people.
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, kind = rng.choice(COUNTRIES), rng.choice(types) if types else None
        organisation = rng.choice(ORGANISATIONS)
        if username in existing:
            continue
        new_users.append(
            User(
                username=username,
                email=f"{username}@example.org",
                display_name=f"{first} {last}",
                password=password,
                status=MembershipStatus.APPROVED,
                decided_at=now,
            )
        )
        details[username] = (country, kind, organisation)
    with transaction.atomic():
        for start in range(0, len(new_users), 1000):
            batch = User.objects.bulk_create(new_users[start : start + 1000])
            EmailAddress.objects.bulk_create(
                EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in batch
            )
            Profile.objects.bulk_create(
                Profile(
                    user=u,
                    country=details[u.username][0],
                    stakeholder_type=details[u.username][1],
                    organisation=details[u.username][2],
                )
                for u in batch
            )
            progress(len(batch))
    return len(new_users)
