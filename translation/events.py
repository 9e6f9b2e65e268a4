"""The live event a finished translation sends to the groups that asked for it.

Same shape as every Liaison event (`{"type": "liaison.event", "event": {...}}`), small:
the consumer that receives it reads the translation and renders for its own official."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from translation.models import Translation

logger = logging.getLogger(__name__)

READY = "translation.ready"


def ready_event(translation: Translation, payload: dict) -> dict:
    """The caller's payload with what identifies the translation on top (its keys win)."""
    return {
        **payload,
        "kind": READY,
        "translation": translation.pk,
        "source_hash": translation.source_hash,
        "source_language": translation.source_language,
        "target_language": translation.target_language,
        "status": translation.status,
    }


def send(messages: list[tuple[str, dict]]) -> None:
    """Sends each (group, event); a channel layer that fails costs the live update only,
    never the stored translation, which pages read on their next render."""
    if not messages:
        return
    layer = get_channel_layer()

    async def send_all() -> None:
        for group, event in messages:
            await layer.group_send(group, {"type": "liaison.event", "event": event})

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.exception("Could not announce %d ready translations", len(messages))
