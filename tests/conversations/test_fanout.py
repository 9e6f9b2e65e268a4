"""Fan-out to many authorities: one message per process, then each socket of the
authorities named hears the event once, through the real channel layer."""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from conversations import fanout


class Socket:
    """Stands in for a page's socket: its own channel, and what it heard."""

    def __init__(self) -> None:
        self.heard: list[dict] = []
        self.channel_layer = get_channel_layer()

    async def open(self) -> "Socket":
        self.channel_name = await self.channel_layer.new_channel()
        return self

    async def hear(self, event: dict) -> None:
        self.heard.append(event)

    async def take_one(self) -> None:
        """What a consumer does with a message on its channel."""
        received = await self.channel_layer.receive(self.channel_name)
        assert received["type"] == "fanout.event"
        fanout.deliver(received["authorities"], received["event"])


def test_each_socket_of_the_authorities_named_hears_once_and_a_stand_in_takes_over():
    two_authorities, one, elsewhere = Socket(), Socket(), Socket()

    async def scenario():
        for socket in (two_authorities, one, elsewhere):
            await socket.open()
        await fanout.join(two_authorities, [1, 2])  # the first stands in for the process
        await fanout.join(one, [2])
        await fanout.join(elsewhere, [9])
        layer = get_channel_layer()
        await layer.group_send(fanout.GROUP, fanout.message([1, 2, 3], {"kind": "x"}))
        await asyncio.wait_for(two_authorities.take_one(), 5)
        await asyncio.sleep(0.1)

        # It leaves: another socket stands in, and the next event comes through it.
        await fanout.leave(two_authorities, [1, 2])
        await layer.group_send(fanout.GROUP, fanout.message([2], {"kind": "y"}))
        stand_in = one if fanout._delegates[asyncio.get_running_loop()] is one else elsewhere
        await asyncio.wait_for(stand_in.take_one(), 5)
        await asyncio.sleep(0.1)
        await fanout.leave(one, [2])
        await fanout.leave(elsewhere, [9])
        assert asyncio.get_running_loop() not in fanout._delegates

    async_to_sync(scenario)()
    assert two_authorities.heard == [{"kind": "x"}]
    assert one.heard == [{"kind": "x"}, {"kind": "y"}]
    assert elsewhere.heard == []
