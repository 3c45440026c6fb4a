"""Debian's Chromium under Playwright, as every browser test launches it.

Never a browser Playwright downloads itself; the flags keep Chromium off the network.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def signed_in_pages(browser, origin: str, cookies: list[str], url: str) -> list:
    """One page per session cookie ("name=value"), each in its own context, opened at url."""
    pages = []
    for cookie in cookies:
        context = browser.new_context()
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": origin}])
        page = context.new_page()
        page.goto(url)
        pages.append(page)
    return pages


# A site with demo content in a server process, shared by the accessibility, keyboard and
# right-to-left tests (one migrate and one seed for all of them: tests/e2e/conftest.py).
SITE_PORTS = (8600, 8650)


class DemoSite:
    """Daphne on its own database, filled by `seed_demo` plus what the page checks need: a
    reported post, notifications for the moderator, an Arabic-speaking member and post, and
    signed-in sessions. `urls` names the main pages; `cookies` the sessions by username."""

    def __init__(self) -> None:
        import os

        from tests.chat.live import Daphne, Database, base_env, free_port

        url = os.environ.get("DATABASE_URL", "")
        self.database = Database(url if url.startswith("postgres") else "")
        self.daphne = Daphne(free_port(*SITE_PORTS), base_env(DATABASE_URL=self.database.url))
        try:
            self.database.migrate()
            self.setup = _run_seed(base_env(DATABASE_URL=self.database.url))
            self.daphne.start()
        except BaseException:
            self.stop()  # no database or server left behind by a failed start
            raise
        self.origin = self.daphne.origin
        self.urls: dict[str, str] = self.setup["urls"]
        self.cookies: dict[str, str] = self.setup["cookies"]
        self.logins: dict[str, dict[str, str]] = self.setup["logins"]

    def url(self, name: str) -> str:
        return self.origin + self.urls[name]

    def context(self, browser, *, language: str = "en", username: str | None = None, **options):
        """A browser context in `language` (Django's language cookie), signed in as
        `username` (None: signed out)."""
        context = browser.new_context(**options)
        cookies = [{"name": "django_language", "value": language, "url": self.origin}]
        if username is not None:
            cookies.append(_cookie(self.cookies[username], self.origin))
        context.add_cookies(cookies)
        return context

    def sign_in(self, context, username: str) -> None:
        context.add_cookies([_cookie(self.cookies[username], self.origin)])

    def stop(self) -> None:
        self.daphne.stop()
        self.database.drop()


def _cookie(pair: str, origin: str) -> dict:
    name, value = pair.split("=", 1)
    return {"name": name, "value": value, "url": origin}


def _run_seed(env: dict[str, str]) -> dict:
    import json
    import subprocess
    import sys

    from tests.chat.live import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "tests.browser", "seed"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "network.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise RuntimeError(f"seeding the demo site failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed_content() -> dict:
    """The demo content every page check uses, in the current database: `seed_demo` at a
    small scale, an Arabic-speaking member with a reply, a topic and a chat message, a
    reported post and notifications for the moderator. Returns the users and the main
    pages' addresses."""
    import random
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    from chat.models import Room, RoomKind
    from chat.services import post_message
    from forums import services as forum_services
    from forums.models import Category, Topic
    from forums.permissions import can_post
    from forums.services.moderation import report_post
    from notifications.demo import seed_notifications
    from profiles.demo import DEMO_MEMBER, DEMO_MODERATOR
    from profiles.models import MembershipStatus, Profile, User
    from profiles.privacy import viewer_for
    from profiles.selectors import DirectoryQuery, search_directory
    from profiles.services import create_member
    from workshops.models import Workshop

    call_command(
        "seed_demo", members=20, topics=8, posts=60, messages=40, big_topic=20,
        quiet_logins=True, stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    member = User.objects.get(username=DEMO_MEMBER["username"])
    moderator = User.objects.get(username=DEMO_MODERATOR["username"])
    # Right-to-left content on left-to-right pages (and the reverse): an Arabic name and post.
    layla = create_member(
        username="layla", email="layla@example.org", password="layla-pass-2026",
        display_name="ليلى حداد",
    )  # fmt: skip
    Profile.objects.get_or_create(user=layla)
    applicant = User.objects.create(
        username="amal", email="amal@example.org", display_name="أمل منصور",
        status=MembershipStatus.PENDING,
    )  # fmt: skip
    Profile.objects.get_or_create(user=applicant)
    topic = Topic.objects.order_by("-post_count", "pk").first()
    arabic_reply = forum_services.reply(
        author=layla, topic=topic, body="نعمل على **آلية الاستعراض** الخاصة باتفاقية الأمم المتحدة."
    )
    forum_services.reply(author=member, topic=topic, body="Thank you: this helps our submission.")
    open_category = next(c for c in Category.objects.order_by("pk") if can_post(layla, c))
    arabic_topic = forum_services.create_topic(
        author=layla, category=open_category,
        title="مراجعة التنفيذ: أسئلة المجتمع المدني",
        body="ما هي الخطوات التالية؟",
    )  # fmt: skip
    report_post(reporter=member, post=arabic_reply, reason="spam")
    seed_notifications(member=moderator, rng=random.Random(7))
    room = Room.objects.filter(kind=RoomKind.CATEGORY).order_by("pk").first()
    post_message(room=room, author=layla, body="مرحبا بالجميع في الغرفة", client_id="layla-1")
    workshop = Workshop.objects.filter(slug__startswith="demo-").order_by("starts_at").last()
    # Someone the demo member finds in the directory's default view (peers in Kenya).
    peers = search_directory(viewer=viewer_for(member), query=DirectoryQuery(country="KE")).cards
    peer = next(card for card in peers if card.name not in (member.name, moderator.name))
    category = arabic_topic.category  # one where members open topics
    urls = {
        "home": reverse("home"),
        "sign-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "directory": reverse("profiles:member-list"),
        "profile": reverse("profiles:member-detail", kwargs={"username": member.username}),
        "profile-edit": reverse("profiles:profile-edit"),
        "forum-index": reverse("forums:category-list"),
        "category": category.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "new-topic": reverse("forums:topic-create", kwargs={"slug": category.slug}),
        "search": reverse("forums:search") + "?q=review",
        "chat-room": room.get_absolute_url(),
        "workshops": reverse("workshops:workshop-list"),
        "workshop": workshop.get_absolute_url(),
        "notifications": reverse("notifications:list"),
        "moderation-queue": reverse("forums:moderation-queue"),
        "moderation-index": reverse("moderation-index"),
        "pending-members": reverse("moderation:members"),
        "accessibility": reverse("accessibility"),
        "arabic-reply": arabic_reply.get_absolute_url(),  # the topic's page that holds it
    }
    return {
        "member": member, "moderator": moderator, "layla": layla, "peer": peer,
        "topic": topic, "urls": urls,
    }  # fmt: skip


def _seed() -> dict:
    """Runs in the server's database (a subprocess): the content, and sessions to sign in."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from profiles.demo import DEMO_MEMBER

    content = seed_content()
    member, moderator, peer = content["member"], content["moderator"], content["peer"]
    cookies = {}
    for user in (member, moderator, content["layla"]):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.username] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    logins = {
        "member": {"email": DEMO_MEMBER["email"], "password": DEMO_MEMBER["password"]},
        "peer": {"name": peer.name, "url": peer.get_absolute_url()},
    }
    # What members wrote in Latin script, to find on Arabic pages (names, titles).
    latin = [content["topic"].title, member.name, moderator.name, peer.name]
    return {"cookies": cookies, "urls": content["urls"], "logins": logins, "latin_content": latin}


if __name__ == "__main__":
    import json
    import sys

    if sys.argv[1:2] == ["seed"]:
        print(json.dumps(_seed()))
