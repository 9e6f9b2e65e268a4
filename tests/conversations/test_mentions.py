"""Mentions: "@Luc Petit" in a message tells a colleague, live, and the case waits in his
"Mentioning you" list until he has read that far."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse
from django.utils import translation

from conversations import selectors
from conversations.mentions import find_mentions
from conversations.models import Mention
from conversations.services import requests as services
from directory.models import Official
from tests.conftest import translated
from tests.conversations.test_live import connect, cookie, frames

MENTIONED = ("mentioned in %(counter)s case", "mentioned in %(counter)s cases")


def plural(code: str, singular: str, plural_text: str, count: int) -> str:
    with translation.override(code):
        return translation.ngettext(singular, plural_text, count) % {"counter": count}


def people(*names: str) -> list[Official]:
    return [Official(pk=number, full_name=name) for number, name in enumerate(names, 1)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("@Luc Petit, can you look?", ["Luc Petit"]),
        ("cc @luc petit", ["Luc Petit"]),  # any case
        ("@Luc Petitjean is someone else", []),  # the name must end there
        ("mail luc@Luc Petit.fr", []),  # inside an address: not a mention
        ("@Anna Maria Berg and @Anna Maria", ["Anna Maria Berg", "Anna Maria"]),
        ("@Anna Maria Berg alone", ["Anna Maria Berg"]),  # the shorter name is inside
        ("Luc Petit without the sign", []),
    ],
)
def test_finding_mentions(text, found):
    candidates = people("Luc Petit", "Anna Maria", "Anna Maria Berg")
    assert sorted(person.full_name for person in find_mentions(text, candidates)) == sorted(found)


def test_a_mention_tells_the_colleague_and_is_seen_when_he_reads(world, sent):
    message = services.post_message(
        official=world.marie, request=sent, text="@Luc Petit, bitte übernehmen. @Anna Becker"
    )
    # Anna is on the other side, not Marie's colleague: only Luc is mentioned.
    assert list(Mention.objects.values_list("official__email", flat=True)) == ["luc@paris.example"]
    assert message.data["mentions"] == [{"id": world.luc.pk, "name": "Luc Petit"}]
    assert selectors.counts(world.luc)["mentioned"] == 1
    assert selectors.counts(world.paul)["mentioned"] == 0
    mentioning = selectors.inbox(world.luc, selectors.InboxFilters(bucket="mentioned"))
    assert [request.pk for request in mentioning] == [sent.pk]

    services.mark_read(official=world.luc, request=sent, up_to=message.pk)
    assert selectors.counts(world.luc)["mentioned"] == 0
    assert Mention.objects.get().seen_at is not None


def test_the_thread_marks_the_mention_for_the_one_mentioned(client, world, sent):
    services.post_message(official=world.marie, request=sent, text="@Luc Petit, siehe unten")
    client.force_login(world.luc)
    page = client.get(reverse("conversations:request", args=[sent.pk])).content.decode()
    assert '<span class="mention mention--me">@Luc Petit</span>' in page
    client.force_login(world.paul)
    page = client.get(reverse("conversations:request", args=[sent.pk])).content.decode()
    assert '<span class="mention">@Luc Petit</span>' in page


def test_the_composer_offers_colleagues_only(client, world, sent):
    url = reverse("conversations:mentionable", args=[sent.pk])
    client.force_login(world.marie)
    offered = client.get(url, {"q": "lu"}).content.decode()
    assert "Luc Petit" in offered
    assert "Marie Dubois" not in offered  # not herself
    offered = client.get(url, {"q": "anna"}).content.decode()
    assert "Anna Becker" not in offered  # the other side is no colleague
    assert translated("fr", "No colleague of that name") in offered
    client.force_login(world.lea)  # Lyon takes no part: the request does not exist for her
    assert client.get(url, {"q": "lu"}).status_code == 404
    client.force_login(world.sophie)  # a supervisor reads but writes nothing
    assert "Luc Petit" not in client.get(url, {"q": "lu"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_mentioned_colleague_hears_it_live(client, world, sent):
    luc_cookie = cookie(client, world.luc)

    async def scenario():
        luc = await connect(luc_cookie)  # on any page: his own group hears it
        await sync_to_async(services.post_message)(
            official=world.marie, request=sent, text="@Luc Petit, dringend"
        )
        heard = await frames(luc)
        assert "Marie Dubois" in heard and sent.number in heard
        assert 'id="notices"' in heard
        assert plural("fr", *MENTIONED, 1) in heard  # the badge

        message = await sync_to_async(lambda: sent.events.last())()
        await luc.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        await frames(luc)
        await luc.send_to(
            text_data=json.dumps({"type": "read", "request": sent.pk, "up_to": message.pk})
        )
        heard = await frames(luc)
        assert "inbox-badge--mention" not in heard  # seen: the badge drops it
        await luc.disconnect()

    from asgiref.sync import async_to_sync

    async_to_sync(scenario)()
