"""Fan-out to many authorities in two steps: one message per server process, then, inside
each process, straight to the sockets of the authorities named.

An alert reaches twelve thousand authorities. Sent to each authority's group, that is
twelve thousand sends through the channel layer and, with Redis, a round trip or more
each; most of those groups are empty. Here the event travels once to every server
process (the group `fanout`: one socket of each process stands in for it), with the
ids of the authorities it concerns; each process keeps which of its sockets work for
which authority and hands the event to those sockets on its own event loop.

Nothing is lost when a process misses the message (it died; its standing-in socket was
closing): every recipient is in the database before the event leaves, and a page
catches up when it (re)connects.
"""

import asyncio
from collections import defaultdict

GROUP = "fanout"

# Per process (per event loop, for tests that run several): the sockets of each
# authority, every socket, and the one socket that stands in the group for the process.
_sockets: defaultdict[int, set] = defaultdict(set)
_joined: dict[asyncio.AbstractEventLoop, set] = {}
_delegates: dict[asyncio.AbstractEventLoop, object] = {}
_handing: set[asyncio.Task] = set()


def message(authority_ids: list[int], event: dict) -> dict:
    return {"type": "fanout.event", "authorities": authority_ids, "event": event}


async def join(consumer, authority_ids: list[int]) -> None:
    """The socket hears events for these authorities. The process's first socket also
    stands in the group for the whole process: the process's events come through it."""
    for authority_id in authority_ids:
        _sockets[authority_id].add(consumer)
    loop = asyncio.get_running_loop()
    for closed in [other for other in _joined if other.is_closed()]:
        _joined.pop(closed, None)  # an event loop that ended (tests run one per scenario)
        _delegates.pop(closed, None)
    _joined.setdefault(loop, set()).add(consumer)
    if loop not in _delegates:
        _delegates[loop] = consumer
        await consumer.channel_layer.group_add(GROUP, consumer.channel_name)


async def leave(consumer, authority_ids: list[int]) -> None:
    """The socket closed. If it stood in for the process, another socket takes over; an
    event sent in between reaches those pages when they next (re)connect."""
    for authority_id in authority_ids:
        sockets = _sockets.get(authority_id)
        if sockets is not None:
            sockets.discard(consumer)
            if not sockets:
                del _sockets[authority_id]
    loop = asyncio.get_running_loop()
    joined = _joined.get(loop, set())
    joined.discard(consumer)
    if _delegates.get(loop) is consumer:
        await consumer.channel_layer.group_discard(GROUP, consumer.channel_name)
        del _delegates[loop]
        if joined:
            successor = next(iter(joined))
            _delegates[loop] = successor
            await successor.channel_layer.group_add(GROUP, successor.channel_name)


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
