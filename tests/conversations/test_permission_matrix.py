"""Every role × every action × own authority or another, over HTTP and the socket: the
same answer from both, because both ask the same selector and permission functions."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client
from django.urls import reverse

from conversations.models import InformationRequest, RequestEvent
from conversations.services import requests as services
from directory.models import Membership, Official
from tests.conftest import PASSWORD
from tests.conversations.test_live import connect, cookie, frames

pytestmark = pytest.mark.django_db(transaction=True)

# actor: (reads, accepts, writes, assigns) for a request sent from Berlin to Paris.
MATRIX = {
    "marie": (True, True, True, False),  # handler of the requested authority
    "paul": (True, True, True, True),  # allocator of the requested authority
    "sophie": (True, False, False, False),  # supervisor: reads, never acts
    "admin": (True, False, False, False),  # local data administrator only
    "claire": (True, False, False, False),  # French coordinator following exchanges
    "anna": (True, False, True, False),  # handler of the requesting authority
    "lea": (False, False, False, False),  # handler of another French authority
    "jan": (False, False, False, False),  # handler in another country
}


def actor(world, name) -> Official:
    if name == "admin":
        official = Official.objects.create_user(
            "admin@paris.example", PASSWORD, full_name="Admin Paris", language="fr"
        )
        Membership.objects.create(official=official, authority=world.paris, is_local_admin=True)
        return official
    return getattr(world, name)


@pytest.mark.parametrize("name", MATRIX)
def test_http(client, world, sent, name):
    reads, accepts, writes, assigns = MATRIX[name]
    client.force_login(actor(world, name))
    page = client.get(reverse("conversations:request", args=[sent.pk]))
    assert page.status_code == (200 if reads else 404)

    before = RequestEvent.objects.count()
    client.post(
        reverse("conversations:message", args=[sent.pk]),
        {"text": f"from {name}"},
        HTTP_HX_REQUEST="true",
    )
    assert RequestEvent.objects.filter(body=f"from {name}").exists() == writes

    client.post(
        reverse("conversations:step", args=[sent.pk]), {"step": "assign", "handler": world.luc.pk}
    )
    sent.refresh_from_db()
    assert (sent.handler == world.luc) == assigns

    client.post(reverse("conversations:step", args=[sent.pk]), {"step": "accept"})
    sent.refresh_from_db()
    assert (sent.status == InformationRequest.Status.ACCEPTED) == accepts
    if not (writes or accepts or assigns):
        assert RequestEvent.objects.count() == before


@pytest.mark.parametrize("name", MATRIX)
def test_socket(world, sent, name):
    reads = MATRIX[name][0]
    official = actor(world, name)
    session = cookie(Client(), official)

    async def scenario():
        socket = await connect(session)
        await socket.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        replay = await frames(socket)
        await sync_to_async(services.post_message)(official=world.anna, request=sent, text="Geheim")
        live = await frames(socket)
        await socket.disconnect()
        return replay, live

    replay, live = async_to_sync(scenario)()
    assert ("data-event-id" in replay) == reads
    assert ("Geheim" in live) == reads
