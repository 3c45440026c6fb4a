"""Demo forum content for `seed_demo`: reproducible from the seed, idempotent, bulk-inserted.

100,000 posts go in with a few thousand-row INSERTs: bodies are drawn from a pool rendered
once (Markdown rendering is the slow part), then the counters are rebuilt in set-wide
queries and, on PostgreSQL, the search vectors filled in one UPDATE.
"""

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from forums import search, services
from forums.models import Access, Category, Post, TaggedTopic, Topic, TopicTag, topic_slug
from network.markdown import render_markdown
from profiles.models import MembershipStatus, User

BATCH = 5000
BODY_POOL = 400

SUBJECTS = [
    "the self-assessment questionnaire", "the country visit",
    "the review cluster on criminalization",
    "the Trafficking in Persons Protocol", "the Smuggling of Migrants Protocol",
    "the Firearms Protocol", "stakeholder engagement", "the constructive dialogue",
    "international cooperation", "mutual legal assistance", "asset recovery",
    "victim protection", "witness protection", "data collection", "the final country report",
    "the SE4U training", "joint submissions", "the national focal point",
    "confiscation of proceeds", "prevention programmes",
]  # fmt: skip
TITLE_FORMS = [
    "How do we contribute to {s}?", "Experiences with {s}", "Questions about {s}",
    "Sharing our notes on {s}", "Timeline for {s}", "Good practices: {s}",
    "Who else works on {s}?", "Resources on {s}", "Lessons learned from {s}",
    "Call for partners: {s}",
]  # fmt: skip
SENTENCES = [
    "Our organisation submitted written input last month and the focal point acknowledged it.",
    "The questionnaire has a section where civil society evidence can be referenced directly.",
    "We found that a short briefing note works better than a long report.",
    "Has anyone been invited to the country visit, or did you ask to join?",
    "In our region the ministry published the timeline only in the national language.",
    "The SE4U module on the review mechanism explains the steps clearly.",
    "We could prepare a joint submission with partners from neighbouring countries.",
    "Victim support services are rarely mentioned in the government's answers.",
    "Data on convictions is hard to find; court records are not public here.",
    "A coalition of academics and NGOs met the reviewers for two hours.",
    "Remember that the constructive dialogue is confidential unless the state agrees otherwise.",
    "I can share the template we used for our shadow report.",
    "The firearms marking requirements were discussed at length in our workshop.",
    "Smuggling cases are often prosecuted under immigration law instead.",
    "Private sector companies have obligations on record keeping that matter here.",
    "Thank you for the summary, it helps a lot.",
    "Could the moderators pin the list of deadlines?",
    "We translated the guidance into French and Spanish for our members.",
    "The review cluster covers articles on criminalization and jurisdiction.",
    "Our university clinic is documenting cases for the next cycle.",
]
LIST_ITEMS = [
    "contact the national focal point early",
    "collect evidence from court cases",
    "coordinate with other organisations",
    "keep a record of meetings",
    "prepare a one-page summary",
    "check the official timeline",
    "ask for a meeting during the country visit",
]
TAGS = [
    "questionnaire", "country visit", "joint submission", "trafficking", "smuggling",
    "firearms", "corruption", "victims", "data", "training", "deadlines", "resources",
    "cooperation", "asset recovery", "prevention",
]  # fmt: skip


def _body(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        paragraphs.append(" ".join(rng.sample(SENTENCES, rng.randint(1, 4))))
    shape = rng.random()
    if shape < 0.2:
        items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
        paragraphs.append("\n".join(f"- {item}" for item in items))
    elif shape < 0.3:
        paragraphs.insert(0, "> " + rng.choice(SENTENCES))
    elif shape < 0.4:
        paragraphs.append("See the [UNODC review mechanism](https://www.unodc.org/) page.")
    if rng.random() < 0.3:
        paragraphs[-1] = f"**{paragraphs[-1]}**" if "\n" not in paragraphs[-1] else paragraphs[-1]
    return "\n\n".join(paragraphs)


def _demo_authors() -> list[int]:
    return list(
        User.objects.filter(
            username__startswith="demo-", status=MembershipStatus.APPROVED
        ).values_list("id", flat=True)
    )


def seed_forums(
    *,
    topics: int,
    posts: int,
    rng: random.Random,
    big_topic: int = 0,
    progress: Callable[[int], object] = lambda n: None,
) -> tuple[int, int]:
    """Grow demo content to `topics` topics and `posts` posts (opening posts included) by the
    demo members, one topic holding `big_topic` posts if asked; return what was added."""
    authors = _demo_authors()
    categories = list(Category.objects.exclude(access=Access.PRIVATE).order_by("order", "id"))
    if not authors or not categories or topics <= 0:
        return 0, 0
    posts = max(posts, topics, big_topic)
    existing_topics = Topic.objects.filter(author_id__in=authors).count()
    existing_posts = Post.objects.filter(topic__author_id__in=authors).count()
    new_topics = max(0, topics - existing_topics)
    new_posts = max(0, posts - existing_posts)
    if new_topics == 0 and new_posts == 0:
        return 0, 0
    if new_topics == 0:  # more posts asked of the same topics: go on in the latest ones
        return 0, _add_replies(authors, new_posts, rng, progress)
    pool = [_body(rng) for _ in range(BODY_POOL)]
    rendered = {body: render_markdown(body) for body in pool}
    now = timezone.now()
    # Posts per new topic: one each, `big_topic` in the first, the rest skewed towards few.
    counts = [1] * new_topics
    if big_topic and existing_topics == 0:
        counts[0] = big_topic
    extra = max(0, new_posts - sum(counts))
    skip = 1 if counts[0] > 1 else 0  # the big topic has its size already
    for _ in range(extra):
        counts[skip + int((new_topics - skip) * rng.random() ** 2)] += 1
    tag_rows = {name: TopicTag.objects.get_or_create(name=name)[0] for name in TAGS}
    with transaction.atomic():
        topic_rows = []
        for index in range(new_topics):
            subject = rng.choice(SUBJECTS)
            title = rng.choice(TITLE_FORMS).format(s=subject)
            category = rng.choice(categories)
            if index == 0 and big_topic and existing_topics == 0:
                # Where visitors can read it too, so it shows both ways of reading.
                title = f"The big review thread: {subject}"
                category = next((c for c in categories if c.is_public), category)
            started = now - timedelta(minutes=rng.randint(counts[index] + 60, 525_600))
            topic_rows.append(
                Topic(
                    category=category,
                    title=title,
                    slug=topic_slug(title),
                    author_id=rng.choice(authors),
                    created_at=started,
                    last_post_at=started,
                    is_pinned=rng.random() < 0.01,
                )
            )
        created_topics = Topic.objects.bulk_create(topic_rows, batch_size=BATCH)
        TaggedTopic.objects.bulk_create(
            [
                TaggedTopic(content_object=topic, tag=tag_rows[name])
                for topic in created_topics
                for name in rng.sample(TAGS, rng.randint(0, 2))
            ],
            batch_size=BATCH,
        )
        batch: list[Post] = []
        for topic, count in zip(created_topics, counts, strict=True):
            # Spread the replies between the topic's start and now, in order.
            span = (now - topic.created_at).total_seconds()
            step = span / (count + 1)
            for number in range(1, count + 1):
                body = rng.choice(pool)
                batch.append(
                    Post(
                        topic=topic,
                        number=number,
                        author_id=topic.author_id if number == 1 else rng.choice(authors),
                        body=body,
                        html=rendered[body],
                        created_at=topic.created_at + timedelta(seconds=step * (number - 1)),
                    )
                )
                if len(batch) >= BATCH:
                    Post.objects.bulk_create(batch)
                    progress(len(batch))
                    batch = []
        if batch:
            Post.objects.bulk_create(batch)
            progress(len(batch))
    _finish()
    return new_topics, sum(counts)


def _add_replies(authors: list[int], count: int, rng: random.Random, progress) -> int:
    """Append `count` replies to the latest demo topics (keeps numbering contiguous)."""
    topics = list(Topic.objects.filter(author_id__in=authors).order_by("-id")[:50])
    pool = [_body(rng) for _ in range(BODY_POOL // 4)]
    rendered = {body: render_markdown(body) for body in pool}
    now = timezone.now()
    with transaction.atomic():
        next_number = {topic.id: topic.last_number + 1 for topic in topics}
        batch = []
        for _ in range(count):
            topic = rng.choice(topics)
            body = rng.choice(pool)
            batch.append(
                Post(
                    topic=topic,
                    number=next_number[topic.id],
                    author_id=rng.choice(authors),
                    body=body,
                    html=rendered[body],
                    created_at=now,
                )
            )
            next_number[topic.id] += 1
            if len(batch) >= BATCH:
                Post.objects.bulk_create(batch)
                progress(len(batch))
                batch = []
        if batch:
            Post.objects.bulk_create(batch)
            progress(len(batch))
    _finish()
    return count


def _finish() -> None:
    services.rebuild_counters()
    search.refresh_vectors()
    if connection.vendor == "postgresql":
        # Fresh statistics: without them the planner takes a search for a rare word and
        # joins every match before ranking.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE forums_post, forums_topic")
