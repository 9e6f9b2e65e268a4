"""Alerts live over the page's socket: an alert arrives in every reached official's page
with a notice and the header's count; one broadcast while she was away is announced when
her page reconnects; the sender sees acknowledgements counted; and a comment for the
sender only never reaches other recipients."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from conversations.models import Alert, NotificationPreference, Procedure
from conversations.services import alerts as services
from directory.models import PolicyArea
from tests.conversations.test_live import connect, cookie, frames

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def direct(world):
    return Procedure.objects.create(
        code="pq-test-direct",
        kind=Procedure.Kind.ALERT,
        policy_area=PolicyArea.objects.get(code="professional-qualifications"),
        names={"en": "Alert", "de": "Vorwarnung", "fr": "Alerte"},
        starters=["ca", "dc", "nc"],
        receivers=["ca", "dc", "nc"],
        routing="direct",
        comments="sender",
    )


def _send(world, procedure, **changes):
    draft = services.create_alert(
        official=world.anna,
        sender=world.berlin,
        procedure=procedure,
        subject=changes.get("subject", "Gefälschte Approbationen"),
        body="Wir haben gefälschte Urkunden entdeckt.",
        urgency=Alert.Urgency.URGENT,
        countries=changes.get("countries", ["FR", "CZ"]),
        authority_kinds=["ca"],
    )
    return services.submit_alert(official=world.anna, alert=draft)


def test_an_alert_arrives_live_and_one_missed_is_announced_on_reconnection(client, world, direct):
    marie_cookie, jan_cookie = cookie(client, world.marie), cookie(client, world.jan)

    async def scenario():
        marie, jan = await connect(marie_cookie), await connect(jan_cookie)
        for socket in (marie, jan):
            await socket.send_to(text_data=json.dumps({"type": "alerts", "after": 0}))
            assert 'data-count="0"' in await frames(socket)

        alert = await sync_to_async(_send)(world, direct)
        for socket in (marie, jan):
            arrived = await frames(socket)
            assert alert.number in arrived and "urgency-mark" in arrived
            assert 'data-count="1"' in arrived
        await sync_to_async(services.acknowledge)(official=world.marie, alert=alert)
        assert 'data-count="0"' in await frames(marie)

        # Jan's page is closed while a second alert goes out; it comes back and asks for
        # what came after the first.
        await jan.disconnect()
        second = await sync_to_async(_send)(world, direct, subject="Zweite Warnung")
        jan = await connect(jan_cookie)
        await jan.send_to(text_data=json.dumps({"type": "alerts", "after": alert.pk}))
        caught_up = await frames(jan)
        assert second.number in caught_up and alert.number not in caught_up
        assert 'data-count="2"' in caught_up
        await marie.disconnect()
        await jan.disconnect()

    async_to_sync(scenario)()


def test_an_official_who_chose_no_live_notices_gets_the_count_but_no_notice(client, world, direct):
    NotificationPreference.objects.create(official=world.jan, kind="alert", delivery="daily")
    jan_cookie = cookie(client, world.jan)

    async def scenario():
        jan = await connect(jan_cookie)
        alert = await sync_to_async(_send)(world, direct)
        arrived = await frames(jan)
        assert "alert-badge" in arrived and alert.number not in arrived
        await jan.disconnect()

    async_to_sync(scenario)()


def test_the_sender_watches_acknowledgements_and_reads_comments_others_do_not(
    client, world, direct
):
    anna_cookie, jan_cookie = cookie(client, world.anna), cookie(client, world.jan)
    alert = _send(world, direct)

    async def scenario():
        anna, jan = await connect(anna_cookie), await connect(jan_cookie)
        for socket in (anna, jan):
            await socket.send_to(
                text_data=json.dumps({"type": "watch_alert", "alert": alert.pk, "after": 0})
            )
        assert "alert-event-" in await frames(anna)
        await frames(jan)
        await sync_to_async(services.acknowledge)(official=world.marie, alert=alert)
        tracked = await frames(anna, quiet=1.0)
        assert "alert-tracking" in tracked and 'data-acknowledged="1" data-reached="3"' in tracked

        await sync_to_async(services.comment)(
            official=world.marie, alert=alert, body="Nous vérifions nos registres."
        )
        assert "Nous vérifions nos registres." in await frames(anna)
        assert "Nous vérifions" not in await frames(jan)
        await anna.disconnect()
        await jan.disconnect()

    async_to_sync(scenario)()


def test_a_foreign_alert_cannot_be_watched(client, world, direct):
    alert = _send(world, direct, countries=["CZ"])
    marie_cookie = cookie(client, world.marie)

    async def scenario():
        marie = await connect(marie_cookie)
        await marie.send_to(
            text_data=json.dumps({"type": "watch_alert", "alert": alert.pk, "after": 0})
        )
        assert "alert-event-" not in await frames(marie)
        await marie.disconnect()

    async_to_sync(scenario)()
