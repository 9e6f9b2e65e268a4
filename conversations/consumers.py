"""The page's one WebSocket: it carries every live update to one signed-in official."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string
from django.utils import translation

# Close code for a socket without a signed-in official (the 4000-4999 range is the
# application's own). Refused before the handshake completes, the browser sees 1006.
UNAUTHENTICATED = 4401


def official_group(official_id: int) -> str:
    """The group every open page of one official listens on."""
    return f"official.{official_id}"


class LiveConsumer(AsyncWebsocketConsumer):
    """Joins the official's group and forwards each event as an HTML fragment.

    Fragments carry hx-swap-oob, so the hx-ws extension puts them in place on the
    page. Rendering happens here, per official: in her language.
    """

    async def connect(self) -> None:
        self.official = self.scope.get("user")
        if self.official is None or not self.official.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.groups_joined = [official_group(self.official.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send(
            text_data=self.render(
                "conversations/partials/live_status.html", {"state": "connected", "swap_oob": True}
            )
        )

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    def render(self, template: str, context: dict) -> str:
        with translation.override(self.official.language):
            return render_to_string(template, context)
