"""Live events: small messages (a kind and ids) sent to channel-layer groups once the
transaction that caused them commits, so nobody hears of a change that was rolled back.
Each receiving consumer renders what it means for its own official."""

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


def publish(groups: list[str], event: dict) -> None:
    """Sends `event` to `groups` after the current transaction commits."""
    # An event that cannot travel as JSON fails here, where it was made, not in Redis.
    message = {"type": "liaison.event", "event": json.loads(json.dumps(event))}

    def send() -> None:
        layer = get_channel_layer()
        for group in dict.fromkeys(groups):
            async_to_sync(layer.group_send)(group, message)

    transaction.on_commit(send)
