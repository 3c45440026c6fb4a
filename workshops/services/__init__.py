"""Every write to workshops, by concern: scheduling, registration, Q&A, announcements,
calendar tokens, and the frames they send to the live room.

The live room (open, close, slow mode, mute) and the archive are in `workshops.live`, which
drives chat and forums through their services.
"""

from workshops.services.announcements import (
    pin_announcement,
    unpin_announcement,
)
from workshops.services.broadcasts import (
    broadcast,
    broadcast_announcements,
    broadcast_question,
)
from workshops.services.calendar import (
    get_calendar_token,
    reset_calendar_token,
)
from workshops.services.questions import (
    MAX_CLIENT_ID,
    ask_question,
    hide_question,
    mark_answered,
    set_qa_mode,
    unvote,
    vote,
)
from workshops.services.registration import (
    register,
    release_seats,
    unregister,
)
from workshops.services.scheduling import (
    cancel_workshop,
    create_workshop,
    update_workshop,
)

__all__ = [
    "MAX_CLIENT_ID",
    "ask_question",
    "broadcast",
    "broadcast_announcements",
    "broadcast_question",
    "cancel_workshop",
    "create_workshop",
    "get_calendar_token",
    "hide_question",
    "mark_answered",
    "pin_announcement",
    "register",
    "release_seats",
    "reset_calendar_token",
    "set_qa_mode",
    "unpin_announcement",
    "unregister",
    "unvote",
    "update_workshop",
    "vote",
]
