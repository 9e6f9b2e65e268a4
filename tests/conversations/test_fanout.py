"""Fan-out to many authorities: one message per process, then each socket of the
authorities named hears the event once, through the real channel layer."""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from conversations import fanout


class Socket:
    """Stands in for a page's socket: what it heard."""

    def __init__(self) -> None:
        self.heard: list[dict] = []

    async def hear(self, event: dict) -> None:
        self.heard.append(event)


def test_each_socket_of_the_authorities_named_hears_once_and_others_not_at_all():
    two_authorities, one, elsewhere = Socket(), Socket(), Socket()

    async def scenario():
        await fanout.join(two_authorities, [1, 2])
        await fanout.join(one, [2])
        await fanout.join(elsewhere, [9])
        layer = get_channel_layer()
        await layer.group_send(fanout.GROUP, fanout.message([1, 2, 3], {"kind": "x"}))
        for _ in range(50):
            if two_authorities.heard and one.heard:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)
        for socket, authorities in ((two_authorities, [1, 2]), (one, [2]), (elsewhere, [9])):
            await fanout.leave(socket, authorities)
        assert not fanout._listeners  # the last socket gone, the process stops listening

    async_to_sync(scenario)()
    assert two_authorities.heard == [{"kind": "x"}]
    assert one.heard == [{"kind": "x"}]
    assert elsewhere.heard == []
