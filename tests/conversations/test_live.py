"""Requests live over the page's socket: entries arrive, a reconnecting page catches up,
and nobody hears of a request that is not theirs."""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from conversations.models import Participant
from conversations.services import requests as services

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def cookie(client, official):
    client = Client()  # one session per official: signing in another ends the first
    client.force_login(official)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def connect(headers) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, "/ws/live/", headers=[ORIGIN, headers])
    connected, _ = await socket.connect(timeout=5)
    assert connected
    assert "live-status" in await socket.receive_from(timeout=5)
    return socket


async def frames(socket, quiet=0.5) -> str:
    """Everything the socket says until it has been quiet for `quiet` seconds."""
    received = []
    while not await socket.receive_nothing(timeout=quiet):
        received.append(await socket.receive_from(timeout=5))
    return "\n".join(received)


def test_a_message_reaches_the_other_side_and_a_reconnect_catches_up(client, world, sent):
    marie_cookie = cookie(client, world.marie)

    async def scenario():
        marie = await connect(marie_cookie)
        await marie.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk, "after": 0}))
        replay = await frames(marie)
        assert "Ist dieses Diplom echt?" not in replay  # the description is not an entry
        assert replay.count("data-event-id=") == 2  # created, sent
        last = max(
            int(x) for x in [part.split('"')[1] for part in replay.split("data-event-id=")[1:]]
        )

        await sync_to_async(services.post_message)(
            official=world.anna, request=sent, text="Können Sie das prüfen?"
        )
        live = await frames(marie)
        assert "Können Sie das prüfen?" in live
        assert 'hx-swap-oob="beforeend:#thread"' in live

        # The socket drops; meanwhile Anna writes twice; the page reconnects and asks for
        # everything after the last entry it shows.
        await marie.disconnect()
        await sync_to_async(services.post_message)(
            official=world.anna, request=sent, text="Erste Nachricht offline"
        )
        await sync_to_async(services.post_message)(
            official=world.anna, request=sent, text="Zweite Nachricht offline"
        )
        marie = await connect(marie_cookie)
        await marie.send_to(
            text_data=json.dumps({"type": "watch", "request": sent.pk, "after": last + 1})
        )
        caught_up = await frames(marie)
        assert "Können Sie das prüfen?" not in caught_up  # seen already
        assert caught_up.index("Erste Nachricht offline") < caught_up.index(
            "Zweite Nachricht offline"
        )
        await marie.disconnect()

    async_to_sync(scenario)()


def test_a_step_updates_the_panel_with_the_readers_own_steps(client, world, sent):
    anna_cookie = cookie(client, world.anna)

    async def scenario():
        anna = await connect(anna_cookie)
        await anna.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        await frames(anna)
        await sync_to_async(services.accept_request)(official=world.marie, request=sent)
        live = await frames(anna)
        assert 'id="request-panel"' in live
        assert 'value="propose_date"' in live  # her own next step, not Marie's
        assert 'value="answer"' not in live
        await anna.disconnect()

    world.anna.language = "en"
    world.anna.save()
    async_to_sync(scenario)()


def test_a_foreign_or_guessed_request_is_never_sent(client, world, sent):
    jan_cookie = cookie(client, world.jan)

    async def scenario():
        jan = await connect(jan_cookie)
        for request_id in (sent.pk, sent.pk + 1000, "x", None):
            await jan.send_to(text_data=json.dumps({"type": "watch", "request": request_id}))
        await jan.send_to(text_data="not json at all")
        await sync_to_async(services.post_message)(
            official=world.anna, request=sent, text="Vertraulich"
        )
        heard = await frames(jan)
        assert "Vertraulich" not in heard
        assert "data-event-id" not in heard
        await jan.disconnect()

    async_to_sync(scenario)()


def test_the_inbox_and_badge_of_the_requested_authority_follow_live(client, world):
    luc_cookie = cookie(client, world.luc)
    draft = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Neu",
        description="Bitte prüfen.",
    )

    async def scenario():
        luc = await connect(luc_cookie)  # a colleague of Marie, on another page
        await sync_to_async(services.send_request)(
            official=world.anna, request=draft, responder=world.paris
        )
        heard = await frames(luc)
        assert 'id="inbox-signal"' in heard
        assert 'id="inbox-badge"' in heard
        assert "1 to act on" in heard
        await luc.disconnect()

    world.luc.language = "en"
    world.luc.save()
    async_to_sync(scenario)()


def test_reading_is_recorded_for_the_other_side_to_see(client, world, sent):
    marie_cookie = cookie(client, world.marie)

    async def scenario():
        marie = await connect(marie_cookie)
        await marie.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        await frames(marie)
        await marie.send_to(
            text_data=json.dumps({"type": "read", "request": sent.pk, "up_to": 10**9})
        )
        heard = await frames(marie)
        assert 'id="read-state"' in heard
        await marie.disconnect()

    async_to_sync(scenario)()
    paris = Participant.objects.get(request=sent, authority=world.paris)
    assert paris.last_read_by == world.marie


def test_who_else_is_looking_and_who_is_writing(world, sent):
    anna_cookie, marie_cookie = cookie(None, world.anna), cookie(None, world.marie)
    jan_cookie = cookie(None, world.jan)

    async def scenario():
        anna = await connect(anna_cookie)
        await anna.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        await frames(anna)
        marie = await connect(marie_cookie)
        await marie.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        assert "Anna Becker" in await frames(marie)  # she learns who was already here
        assert "Marie Dubois" in await frames(anna)

        await marie.send_to(text_data=json.dumps({"type": "typing", "request": sent.pk}))
        heard = await frames(anna)
        assert "presence__typing" in heard and "Marie Dubois" in heard

        jan = await connect(jan_cookie)  # not taking part: cannot announce himself
        await jan.send_to(text_data=json.dumps({"type": "typing", "request": sent.pk}))
        assert "Jan" not in await frames(anna)

        await marie.disconnect()
        assert "Marie Dubois" not in await frames(anna)
        await anna.disconnect()
        await jan.disconnect()

    async_to_sync(scenario)()


@pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis (make test runs the suite with it too)"
)
def test_a_quiet_socket_keeps_listening_on_redis(client, world, sent):
    # The Redis layer waits for a socket's messages in blocking pops of 5 s: a read
    # timeout at or under that would tear down every socket left quiet that long.
    marie_cookie = cookie(client, world.marie)

    async def scenario():
        marie = await connect(marie_cookie)
        await marie.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        await frames(marie)
        await asyncio.sleep(8)
        await sync_to_async(services.post_message)(
            official=world.anna, request=sent, text="Nach langer Stille"
        )
        assert "Nach langer Stille" in await frames(marie)
        await marie.disconnect()

    async_to_sync(scenario)()
