"""The embedded channel layer: Channels' in-memory layer, with its sweep of expired
messages and group memberships run at most once a second.

Channels' layer sweeps every channel and every group on each `group_send` and each
`receive`. With two thousand sockets in a few thousand groups, one alert sent to
twelve thousand authority groups then costs tens of millions of steps (35 s measured by
`make bench-alerts`). Messages expire after a minute and memberships after a day, so a
sweep a second changes nothing anyone can observe.
"""

import time

from channels.layers import InMemoryChannelLayer

SWEEP_EVERY = 1.0


class EmbeddedChannelLayer(InMemoryChannelLayer):
    _swept_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < SWEEP_EVERY:
            return
        self._swept_at = now
        super()._clean_expired()
