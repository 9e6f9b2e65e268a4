"""Live events: small messages (a kind and ids) sent to channel-layer groups once the
transaction that caused them commits, so nobody hears of a change that was rolled back.
Each receiving consumer renders what it means for its own official."""

import asyncio
import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def official_group(official_id: int) -> str:
    """Every open page of one official."""
    return f"official.{official_id}"


def authority_group(authority_id: int) -> str:
    """Every open page of every official of one authority: inbox and badge updates."""
    return f"authority.{authority_id}"


def request_group(request_id: int) -> str:
    """Every page showing one information request."""
    return f"request.{request_id}"


def alert_group(alert_id: int) -> str:
    """Every page showing one alert."""
    return f"alert.{alert_id}"


# Sends to many groups overlap, this many at a time. (To thousands of authorities at
# once, see publish_to_authorities.)
CONCURRENT_SENDS = 100


def publish(groups: list[str], event: dict) -> None:
    """Sends `event` to `groups` after the current transaction commits."""
    # An event that cannot travel as JSON fails here, where it was made, not in Redis.
    message = {"type": "liaison.event", "event": json.loads(json.dumps(event))}
    unique = list(dict.fromkeys(groups))
    if not unique:
        return

    async def send_all() -> None:
        layer = get_channel_layer()
        groups = unique
        for start in range(0, len(groups), CONCURRENT_SENDS):
            chunk = groups[start : start + CONCURRENT_SENDS]
            await asyncio.gather(*(layer.group_send(group, message) for group in chunk))

    transaction.on_commit(async_to_sync(send_all))


def publish_to_authorities(authority_ids: list[int], event: dict) -> None:
    """Sends `event` to the open pages of every official of these authorities, however
    many, once the current transaction commits: one message per server process, which
    hands it to its own sockets of those authorities (conversations.fanout)."""
    from conversations import fanout

    unique = list(dict.fromkeys(authority_ids))
    if not unique:
        return
    message = fanout.message(unique, json.loads(json.dumps(event)))

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(fanout.GROUP, message)

    transaction.on_commit(send)
