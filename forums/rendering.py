"""The posts of a topic page as HTML, built without a template loop.

A page shows twenty posts, each with the reader's own controls (reactions, quote, edit,
delete, report, moderation links). Through the template engine that loop was most of a
signed-in reader's page cost, so it is built here instead: the post's cached block, plus
controls assembled with string formatting from links reversed once per request and labels
translated once per request. Every value that is not our own markup is escaped.
"""

from collections.abc import Iterable

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from forums.models import State

_SENTINEL = 987654321


def _url_pattern(name: str, *extra: str) -> str:
    """A reversed URL with `{id}` where the object's id goes, e.g. "/forums/p/{id}/edit/"."""
    return reverse(name, args=[_SENTINEL, *extra]).replace(str(_SENTINEL), "{id}")


def render_rows(
    *, request, topic, rows: Iterable, rights, first_unread_id: int | None
) -> SafeString:
    """The `<article>` of every post on the page, as the viewer sees it."""
    rows = list(rows)
    if not rows:
        return mark_safe(f"<p>{escape(gettext('Nothing on this page.'))}</p>")
    unread_marker = (
        f'<p id="unread" class="unread-marker">{escape(gettext("New since you last read"))}</p>'
    )
    if rights.is_member:
        member_controls = _member_controls(request, topic, rights)
    out = []
    for row in rows:
        block = row.block
        new = " is-new" if row.is_new else ""
        marker = unread_marker if row.id == first_unread_id else ""
        out.append(f'<article id="post-{row.id}" class="post{new}">{marker}\n{block.html}\n')
        if rights.is_member:
            out.append(member_controls(row))
        elif row.reactions:
            spans = "".join(
                f'<span title="{escape(r.label)}">{r.symbol} {r.count}'
                f'<span class="visually-hidden"> {escape(r.label)}</span></span> '
                for r in row.reactions
            )
            out.append(f'<p class="reactions">{spans}</p>')
        out.append("\n</article>\n")
    return mark_safe("".join(out))  # noqa: S308 - cached blocks are ours; the rest escaped


def _member_controls(request, topic, rights):
    """A function drawing one post's controls: everything per page is worked out here."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
    full_path = escape(request.get_full_path())
    react_url = _url_pattern("forums:post-react")
    quote = (
        f'<li><a href="{escape(reverse("forums:topic-reply", args=[topic.id]))}?quote={{id}}">'
        f"{escape(gettext('Quote'))}</a></li>"
    )
    edit = f'<li><a href="{_url_pattern("forums:post-edit")}">{escape(gettext("Edit"))}</a></li>'
    delete = (
        f'<li><a href="{_url_pattern("forums:post-delete")}">{escape(gettext("Delete"))}</a></li>'
    )
    report = (
        f'<li><a href="{_url_pattern("forums:post-report")}">{escape(gettext("Report"))}</a></li>'
    )
    moderate = {
        state: f'<li><a href="{_url_pattern("forums:post-moderate", action)}">'
        f"{escape(label)}</a></li>"
        for state, action, label in [
            (State.VISIBLE, "hide", gettext("Hide")),
            (State.HIDDEN, "unhide", gettext("Unhide")),
            (State.DELETED, "restore", gettext("Restore")),
        ]
    }
    labels: dict[str, str] = {}

    def draw(row) -> str:
        block = row.block
        ident = str(row.id)
        parts = []
        if row.reactions:
            disabled = "" if row.can_react else " disabled"
            buttons = []
            for r in row.reactions:
                label = labels.get(r.label)
                if label is None:
                    label = labels[r.label] = escape(r.label)
                pressed = "true" if r.pressed else "false"
                buttons.append(
                    f'<button type="submit" name="kind" value="{r.kind}" aria-pressed="{pressed}"'
                    f' title="{label}"{disabled}>{r.symbol} {r.count}'
                    f'<span class="visually-hidden"> {label}</span></button>'
                )
            action = react_url.replace("{id}", ident)
            parts.append(
                f'<form method="post" action="{action}" class="reactions">'
                f'{csrf}<input type="hidden" name="next" value="{full_path}#post-{row.id}">'
                f"{''.join(buttons)}</form>"
            )
        parts.append('\n<ul class="post-actions">')
        if rights.reply and block.state == State.VISIBLE:
            parts.append(quote.replace("{id}", ident))
        if row.can_edit:
            parts.append(edit.replace("{id}", ident))
        if row.can_delete:
            parts.append(delete.replace("{id}", ident))
        if row.can_report:
            parts.append(report.replace("{id}", ident))
        if rights.moderate:
            link = moderate.get(block.state, moderate[State.DELETED])
            parts.append(link.replace("{id}", ident))
        parts.append("</ul>\n")
        return "".join(parts)

    return draw


# The blank reply box is the same for every reader but for its address and CSRF token: it is
# rendered once per language and process, with these stand-ins replaced per request.
_ACTION, _CSRF = "__reply_action__", "__csrf_token__"
_blank_composers: dict[str, str] = {}


def reply_composer(*, request, topic) -> SafeString:
    """The empty reply form at the foot of a topic's last page."""
    from forums.forms import ReplyForm  # forms import the models; keep this module light

    language = get_language()
    html = _blank_composers.get(language)
    if html is None:
        html = render_to_string(
            "forums/partials/composer.html",
            {
                "form": ReplyForm(),
                "action": _ACTION,
                "submit_label": gettext("Post reply"),
                "csrf_token": _CSRF,
            },
        )
        _blank_composers[language] = html
    action = escape(reverse("forums:topic-reply", args=[topic.id]))
    html = html.replace(_ACTION, action).replace(_CSRF, escape(get_token(request)))
    return mark_safe(html)  # noqa: S308 - our template; the two values put in are escaped
