"""Fan-out to many authorities in two steps: one message per server process, then, inside
each process, straight to the sockets of the authorities named.

An alert reaches twelve thousand authorities. Sent to each authority's group, that is
twelve thousand sends through the channel layer and, with Redis, a round trip or more
each; most of those groups are empty. Here the event travels once to every server
process (the group `fanout`, one member per process), with the ids of the authorities
it concerns; each process keeps which of its sockets work for which authority and hands
the event to those sockets on its own event loop. Nothing is lost when a process misses
the message (it died, or its socket was down): every recipient is in the database
before the event leaves, and a page catches up when it (re)connects.
"""

import asyncio
import logging
import time
from collections import defaultdict

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

GROUP = "fanout"
# A layer forgets group members after a day (channels' group_expiry): join again hourly.
REJOIN_EVERY = 3600

# Per process: the sockets of each authority, and the one listener per event loop.
_sockets: defaultdict[int, set] = defaultdict(set)
_listeners: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task, str]] = {}
_joined: dict[asyncio.AbstractEventLoop, set] = {}
_handing: set[asyncio.Task] = set()


def message(authority_ids: list[int], event: dict) -> dict:
    return {"type": "fanout.event", "authorities": authority_ids, "event": event}


async def join(consumer, authority_ids: list[int]) -> None:
    """The socket hears events for these authorities; its process listens while it has
    sockets (one listener per event loop)."""
    for authority_id in authority_ids:
        _sockets[authority_id].add(consumer)
    loop = asyncio.get_running_loop()
    _joined.setdefault(loop, set()).add(consumer)
    if loop not in _listeners:
        layer = get_channel_layer()
        # The sockets' own kind of channel: channels-redis pulls a process's channels of
        # one prefix through one receive loop, and serves only that prefix at a time.
        channel = await layer.new_channel()
        await layer.group_add(GROUP, channel)
        _listeners[loop] = (asyncio.ensure_future(_listen(layer, channel)), channel)


async def leave(consumer, authority_ids: list[int]) -> None:
    """The socket closed; the last one of its event loop stops the listener, so no
    receive outlives the loop's sockets."""
    for authority_id in authority_ids:
        sockets = _sockets.get(authority_id)
        if sockets is not None:
            sockets.discard(consumer)
            if not sockets:
                del _sockets[authority_id]
    loop = asyncio.get_running_loop()
    joined = _joined.get(loop, set())
    joined.discard(consumer)
    if not joined and loop in _listeners:
        _joined.pop(loop, None)
        task, channel = _listeners.pop(loop)
        task.cancel()
        await get_channel_layer().group_discard(GROUP, channel)


async def _listen(layer, channel: str) -> None:
    joined = time.monotonic()
    while True:
        try:
            received = await layer.receive(channel)
        except asyncio.CancelledError:
            raise
        except Exception:  # the layer hiccuped (Redis restarting): listen on, catch-up covers
            logger.exception("Fan-out listener: receive failed")
            await asyncio.sleep(1)
            continue
        if time.monotonic() - joined > REJOIN_EVERY:
            await layer.group_add(GROUP, channel)
            joined = time.monotonic()
        deliver(received.get("authorities", []), received.get("event", {}))


def deliver(authority_ids: list[int], event: dict) -> int:
    """Hands the event to this process's sockets of those authorities, once each."""
    targets = set()
    for authority_id in authority_ids:
        targets |= _sockets.get(authority_id, set())
    for consumer in targets:
        task = asyncio.ensure_future(consumer.hear(event))
        _handing.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(_handing.discard)
    return len(targets)
