"""The page's WebSocket: who may open it, and what it says when it opens."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def session_cookie(client, official) -> tuple[bytes, bytes]:
    client.force_login(official)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


def open_socket(headers):
    async def attempt():
        communicator = WebsocketCommunicator(application, "/ws/live/", headers=headers)
        connected, _ = await communicator.connect(timeout=5)
        first = await communicator.receive_from(timeout=5) if connected else None
        await communicator.disconnect()
        return connected, first

    return async_to_sync(attempt)()


def test_a_signed_in_official_is_told_she_is_connected_in_her_language(client, official):
    connected, fragment = open_socket([ORIGIN, session_cookie(client, official)])
    assert connected
    assert 'id="live-status"' in fragment
    assert 'hx-swap-oob="true"' in fragment
    assert 'data-state="connected"' in fragment
    assert "Verbunden" in fragment


def test_a_socket_without_a_session_is_refused(client, db):
    connected, _ = open_socket([ORIGIN])
    assert not connected


def test_a_socket_from_a_foreign_origin_is_refused_even_with_a_session(client, official):
    connected, _ = open_socket(
        [(b"origin", b"https://evil.example"), session_cookie(client, official)]
    )
    assert not connected


def test_a_socket_of_a_disabled_official_is_refused(client, official):
    cookie = session_cookie(client, official)
    official.is_active = False
    official.save()
    connected, _ = open_socket([ORIGIN, cookie])
    assert not connected
