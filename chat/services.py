"""Every write to chat, and the events that leave through the channel layer."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from chat import protocol


def recheck_member_sockets(*, user_ids: list[int]) -> None:
    """Make every open chat socket of these members re-check its access once committed.

    Called by whatever may take access away: logout, suspension, losing approval, a block,
    removal from a private room. Each socket closes (or stops relaying) if access is gone.
    """

    def send() -> None:
        layer = get_channel_layer()
        for user_id in user_ids:
            async_to_sync(layer.group_send)(
                protocol.member_group(user_id), {"type": "access.recheck"}
            )

    transaction.on_commit(send)
