"""A bare Channels echo server, the ceiling bench/realtime.py compares Liaison with: the
same Daphne, channel layer and group fan-out, and nothing else (no database, no
templates, no permissions).

    daphne bench.echo:application
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    """Joins the group named in the URL; every text received goes to the whole group."""

    async def connect(self) -> None:
        self.group = f"echo.{self.scope['url_route']['kwargs']['room']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        await self.channel_layer.group_send(self.group, {"type": "echo", "text": text_data})

    async def echo(self, message: dict) -> None:
        await self.send(text_data=message["text"])


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/echo/<int:room>/", EchoConsumer.as_asgi())])}
)
