"""A workshop's transcript as forum Markdown: announcements, answered questions, then every
message in order, split into posts that each fit the forum's limit.

What members wrote is quoted, never interpreted: each line goes into a block quote and its
"@" is escaped, so the archive shows mentions without notifying anyone a second time.
"""

import re
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from workshops.models import Workshop

# An "@" that the forum would read as a mention (see network.markdown's mention rule).
_MENTION_AT = re.compile(r"(?<![\w.+\-@/])@(?=\w)")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~@&])")


def quote(text: str) -> str:
    """Member text as a Markdown block quote, mentions escaped."""
    text = _MENTION_AT.sub(r"\\@", text.strip())
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def plain(text: str) -> str:
    """A name as literal Markdown text: its punctuation cannot format or mention."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _when(workshop: Workshop, moment) -> str:
    local = timezone.localtime(moment, workshop.zone)
    return local.strftime("%H:%M")


def _heading(workshop: Workshop) -> str:
    start = timezone.localtime(workshop.starts_at, workshop.zone)
    end = timezone.localtime(workshop.ends_at, workshop.zone)
    return _("Transcript of the workshop “%(title)s”, %(day)s, %(start)s–%(end)s (%(zone)s).") % {
        "title": plain(workshop.title),
        "day": formats.date_format(start, "DATE_FORMAT"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "zone": workshop.time_zone,
    }


def _entry(name: str, stamp: str, body: str) -> str:
    return f"**{plain(name)}** · {stamp}\n{quote(body)}"


def transcript_posts(
    *,
    workshop: Workshop,
    messages: Iterable,
    questions: Iterable,
    announcements: Iterable,
    max_length: int,
) -> list[str]:
    """The Markdown bodies of the archive topic: the first opens it, the rest are replies.

    A single message longer than a post (it cannot be: chat messages are far shorter) would
    still get a post of its own rather than be cut.
    """
    blocks = [_heading(workshop)]
    announcement_entries = [
        _entry(
            a.author.name if a.author else _("facilitator"), _when(workshop, a.created_at), a.body
        )
        for a in announcements
    ]
    if announcement_entries:
        blocks += ["## " + _("Announcements"), *announcement_entries]
    question_entries = [
        _entry(q.author.name, _("%(votes)d votes, answered") % {"votes": q.vote_count}, q.body)
        for q in questions
    ]
    if question_entries:
        blocks += ["## " + _("Answered questions"), *question_entries]
    blocks.append("## " + _("Messages"))
    posts = _pack(blocks, max_length=max_length)
    count = 0
    for message in messages:
        count += 1
        entry = _entry(message.author.name, _when(workshop, message.created_at), message.body)
        posts = _add(posts, entry, max_length=max_length)
    if count == 0:
        posts = _add(posts, _("No messages were written in the live room."), max_length=max_length)
    return posts


def _add(posts: list[str], block: str, *, max_length: int) -> list[str]:
    if len(posts[-1]) + 2 + len(block) <= max_length:
        posts[-1] += "\n\n" + block
    else:
        posts.append(_("(continued)") + "\n\n" + block)
    return posts


def _pack(blocks: list[str], *, max_length: int) -> list[str]:
    posts = [blocks[0]]
    for block in blocks[1:]:
        posts = _add(posts, block, max_length=max_length)
    return posts
