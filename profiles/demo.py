"""Demo members for `seed_demo`: reproducible from a seed, idempotent by username."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from network.markdown import render_markdown
from profiles.models import ExpertiseTag, MembershipStatus, Profile, SpokenLanguage, User
from profiles.services import (
    create_member,
    curated_tags,
    directory_changed,
    refresh_directory,
    update_profile,
)
from taxonomy.models import Cluster, ExpertiseTerm, Protocol, StakeholderType

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
# Weighted towards countries with active SE4U cohorts; every UN regional group is present.
COUNTRIES = [
    "KE", "KE", "NG", "NG", "ZA", "GH", "SN", "UG", "TZ", "ET", "CM", "CI", "MA", "EG", "TN",
    "MX", "MX", "BR", "CO", "CO", "PE", "AR", "CL", "GT", "HN", "EC", "JM", "DO",
    "IN", "TH", "PH", "PH", "ID", "PK", "BD", "VN", "MY", "NP", "LK", "JO", "LB", "FJ", "KG",
    "UA", "RS", "AL", "MD", "GE", "AM", "BA", "MK", "RO", "BG",
    "FR", "IT", "ES", "DE", "TR", "GB", "PT", "NL", "CA",
]  # fmt: skip
CITIES = {
    "KE": ["Nairobi", "Mombasa", "Kisumu"], "NG": ["Lagos", "Abuja", "Kano"],
    "MX": ["Mexico City", "Guadalajara", "Tijuana"], "CO": ["Bogotá", "Medellín", "Cali"],
    "PH": ["Manila", "Cebu", "Davao"], "IN": ["New Delhi", "Mumbai", "Kolkata"],
    "UA": ["Kyiv", "Odesa", "Lviv"], "FR": ["Paris", "Lyon", "Marseille"],
    "BR": ["São Paulo", "Brasília", "Recife"], "ZA": ["Johannesburg", "Cape Town", "Durban"],
}  # fmt: skip
# Beyond English, which languages a member from a country likely speaks.
LOCAL_LANGUAGES = {
    "fr": ["FR", "SN", "CI", "CM", "MA", "TN", "CA", "LB"],
    "es": ["MX", "CO", "PE", "AR", "CL", "GT", "HN", "EC", "DO", "ES"],
    "ar": ["EG", "JO", "LB", "MA", "TN"],
    "ru": ["UA", "MD", "KG", "GE", "AM"],
    "pt": ["BR", "PT"],
    "sw": ["KE", "TZ", "UG"],
}
BIOS = [
    "I coordinate a network of shelters and legal clinics supporting survivors of "
    "trafficking, and contributed to our country's **self-assessment** for the review.",
    "Researcher on illicit financial flows and asset recovery. Happy to share data and "
    "methods for *joint submissions*.",
    "Lawyer working on witness protection and access to justice for victims of organised "
    "crime. Interested in the country dialogue phase.",
    "Our organisation monitors firearms trafficking along the border and trains local "
    "journalists on investigative safety.",
    "Compliance lead in the financial sector; I work on due diligence and reporting of "
    "suspicious transactions linked to migrant smuggling.",
    "Community organiser working with young people at risk of recruitment by criminal "
    "groups. Open to mentoring newer members.",
]
OPEN_TO = ["mentoring", "joint_submissions", "speaking"]


def _privacy(rng: random.Random) -> dict:
    """A realistic mix: most keep the defaults, some are careful, a few are very careful."""
    roll = rng.random()
    everyone, members, connections, only_me = 0, 1, 2, 3
    fields = {f"{name}_visibility": members for name in Profile.PRIVATE_FIELDS}
    hidden = False
    if roll < 0.12:  # open: everything public
        fields = {key: everyone for key in fields}
    elif roll < 0.24:  # careful about where they are
        fields["country_visibility"] = connections
        fields["organisation_visibility"] = connections
    elif roll < 0.30:  # at risk: almost nothing shown
        fields.update(
            {key: only_me for key in ["country_visibility", "organisation_visibility"]},
            avatar_visibility=connections,
            bio_visibility=connections,
        )
    elif roll < 0.34:
        hidden = True
    return {**fields, "hidden_from_directory": hidden}


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
    ensure_demo_profiles(member=users[0], moderator=users[1])
    return users[0], users[1]


def seed_members(*, count: int, rng: random.Random, progress) -> int:
    """Create up to `count` demo members (demo-00001 …) with full profiles; return how many
    were new. Bulk inserts throughout: 50,000 members take seconds, not minutes."""
    wanted = [f"demo-{index:05d}" for index in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    types = list(StakeholderType.objects.all())
    tags = curated_tags(list(ExpertiseTerm.objects.values_list("slug", flat=True)))
    clusters = list(Cluster.objects.all())
    protocols = list(Protocol.objects.all())
    password = make_password("demo-member-pass")  # hashed once: hashing is the slow part
    now = timezone.now()
    new_users, details = [], {}
    for index, username in enumerate(wanted):
        # Draw for every member, new or not, so the same seed gives the same people.
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country = rng.choice(COUNTRIES)
        spec = {
            "country": country,
            "city": rng.choice(CITIES.get(country, [""])),
            "stakeholder_type": rng.choice(types) if types else None,
            "organisation": rng.choice(ORGANISATIONS),
            "bio": rng.choice(BIOS) if rng.random() < 0.7 else "",
            "open_to": sorted(rng.sample(OPEN_TO, rng.randint(0, 2))),
            **_privacy(rng),
        }
        tag_picks = rng.sample(tags, rng.randint(1, 5)) if tags else []
        languages = {"en"} if rng.random() < 0.85 else set()
        languages |= {code for code, where in LOCAL_LANGUAGES.items() if country in where}
        if rng.random() < 0.2:
            languages.add(rng.choice(["fr", "es", "ar", "ru", "zh"]))
        cluster_picks = rng.sample(clusters, rng.randint(0, 2)) if clusters else []
        protocol_picks = rng.sample(protocols, rng.randint(0, 2)) if protocols else []
        joined = now - timedelta(days=rng.randint(0, 900), minutes=index)
        if username in existing:
            continue
        new_users.append(
            User(
                username=username,
                email=f"{username}@example.org",
                display_name=f"{first} {last}",
                password=password,
                status=MembershipStatus.APPROVED,
                decided_at=joined,
                date_joined=joined,
            )
        )
        details[username] = (spec, tag_picks, sorted(languages), cluster_picks, protocol_picks)
    bio_html = {bio: render_markdown(bio) for bio in BIOS}
    profile_ids = []
    for start in range(0, len(new_users), 2000):
        with transaction.atomic():
            batch = User.objects.bulk_create(new_users[start : start + 2000])
            EmailAddress.objects.bulk_create(
                EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in batch
            )
            profiles = Profile.objects.bulk_create(
                Profile(
                    user=u,
                    bio_html=bio_html.get(details[u.username][0]["bio"], ""),
                    created_at=u.date_joined,
                    **details[u.username][0],
                )
                for u in batch
            )
            ExpertiseTag.objects.bulk_create(
                ExpertiseTag(content_object=p, tag=tag)
                for p in profiles
                for tag in details[p.user.username][1]
            )
            SpokenLanguage.objects.bulk_create(
                SpokenLanguage(profile=p, code=code)
                for p in profiles
                for code in details[p.user.username][2]
            )
            Profile.clusters.through.objects.bulk_create(
                Profile.clusters.through(profile_id=p.pk, cluster_id=c.pk)
                for p in profiles
                for c in details[p.user.username][3]
            )
            Profile.protocols.through.objects.bulk_create(
                Profile.protocols.through(profile_id=p.pk, protocol_id=pr.pk)
                for p in profiles
                for pr in details[p.user.username][4]
            )
            profile_ids.extend(p.pk for p in profiles)
        progress(len(batch))
    if profile_ids:
        refresh_directory(profile_ids=None if len(profile_ids) > 5000 else profile_ids)
        directory_changed()
    return len(new_users)


def ensure_demo_profiles(*, member: User, moderator: User) -> None:
    """Give the demo logins a profile, so the demo shows "peers in my country" at once."""
    for user, spec in [
        (member, {"country": "KE", "city": "Nairobi", "organisation": "Open Justice Network"}),
        (moderator, {"country": "FR", "organisation": "SE4U programme"}),
    ]:
        profile, _created = Profile.objects.get_or_create(user=user)
        if profile.country:
            continue
        update_profile(
            member=user,
            data={
                **spec,
                "stakeholder_type": StakeholderType.objects.filter(slug="ngo").first(),
                "expertise": ["trafficking-in-persons", "victim-support", "corruption"],
                "languages": ["en", "sw"] if user == member else ["en", "fr"],
                "bio": "Demo account: explore the directory, forums and workshops.",
            },
        )
