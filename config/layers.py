"""Liaison's channel layers: Channels' in-memory layer (embedded) and channels-redis
(production), each able to tell which groups have a member, so that an alert reaching
twelve thousand authorities is sent only to the authority groups with someone connected
(every recipient is in the database first: a page connecting later catches up).

The embedded layer also runs its sweep of expired messages and group memberships at
most once a second.

Channels' layer sweeps every channel and every group on each `group_send` and each
`receive`. With two thousand sockets in a few thousand groups, one alert sent to
twelve thousand authority groups then costs tens of millions of steps (35 s measured by
`make bench-alerts`). Messages expire after a minute and memberships after a day, so a
sweep a second changes nothing anyone can observe.
"""

import time

from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer

SWEEP_EVERY = 1.0


class EmbeddedChannelLayer(InMemoryChannelLayer):
    _swept_at = 0.0

    async def occupied(self, groups: list[str]) -> list[str]:
        return [group for group in groups if self.groups.get(group)]

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < SWEEP_EVERY:
            return
        self._swept_at = now
        super()._clean_expired()


class ScaledChannelLayer(RedisChannelLayer):
    async def occupied(self, groups: list[str]) -> list[str]:
        """One pipelined count per Redis shard instead of two round trips per group. A
        membership that has expired but not been swept yet counts: it costs one send."""
        by_shard: dict[int, list[str]] = {}
        for group in groups:
            by_shard.setdefault(self.consistent_hash(group), []).append(group)
        found = []
        for index, members in by_shard.items():
            pipe = self.connection(index).pipeline(transaction=False)
            for group in members:
                pipe.zcard(self._group_key(group))
            counts = await pipe.execute()
            found += [group for group, count in zip(members, counts, strict=True) if count]
        return found
