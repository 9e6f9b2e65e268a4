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


# Sends to many groups overlap, this many at a time: an alert reaching 12,600
# authorities is 12,600 small sends, not one group of thousands (DESIGN.md §5).
CONCURRENT_SENDS = 100
# Past this many groups, only those with a member are sent to (config.layers).
FEW = 20


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
        if len(groups) > FEW and hasattr(layer, "occupied"):
            groups = await layer.occupied(groups)
        for start in range(0, len(groups), CONCURRENT_SENDS):
            chunk = groups[start : start + CONCURRENT_SENDS]
            await asyncio.gather(*(layer.group_send(group, message) for group in chunk))

    transaction.on_commit(async_to_sync(send_all))
