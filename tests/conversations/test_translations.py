"""Each reader reads the thread in her own language: the message arrives at once, its
translation follows live, the original is one click away. Real argostranslate, tiny
"echo" packages (every sentence comes back as "[<to>] <sentence>")."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.urls import reverse

from conversations.services import requests as services
from tests.conftest import translated
from tests.conversations.test_live import connect, cookie, frames
from tests.translation.conftest import HeldJobs
from translation import queues
from translation import services as translation_services
from translation.models import Translation


@pytest.fixture(autouse=True)
def tiny_models(tiny_models_dir, settings):
    settings.TRANSLATION_DIR = tiny_models_dir


def page_of(client, official, request) -> str:
    client.force_login(official)
    return client.get(reverse("conversations:request", args=[request.pk])).content.decode()


def test_each_side_reads_the_other_in_its_own_language(
    client, world, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(
            official=world.anna, request=sent, text="Ist das Diplom echt? Siehe REQ-2026-000123."
        )
    # Paris reads French (German to French through English), the case number untouched.
    marie = page_of(client, world.marie, sent)
    assert "[fr] [en] Ist das Diplom echt?" in marie
    assert "REQ-2026-000123" in marie
    # She reads French, marked as machine-translated from German, named in French.
    note = translated("fr", "Machine-translated from %(language)s") % {"language": "Allemand"}
    assert note in marie
    assert 'class="message-body message-body--original" lang="de" hidden' in marie
    # …and Anna reads what she wrote, as she wrote it.
    anna = page_of(client, world.anna, sent)
    assert "Ist das Diplom echt? Siehe REQ-2026-000123." in anna
    assert "[fr]" not in anna and "show-original" not in anna


def test_an_identical_text_is_translated_once(world, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(official=world.anna, request=sent, text="Danke.")
        services.post_message(official=world.anna, request=sent, text="Danke.")
    assert Translation.objects.filter(source_text="Danke.", target_language="fr").count() == 1


def test_the_author_may_say_she_wrote_in_another_language(
    client, world, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(official=world.anna, request=sent, text="Thank you.", language="en")
    assert "[fr] Thank you." in page_of(client, world.marie, sent)  # English to French directly


def test_without_a_model_the_original_shows_marked(
    client, world, sent, django_capture_on_commit_callbacks
):
    world.marie.language = "bg"  # no Bulgarian package installed
    world.marie.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(official=world.anna, request=sent, text="Ist das Diplom echt?")
    client.force_login(world.marie)
    page = page_of(client, world.marie, sent)
    assert "Ist das Diplom echt?" in page
    assert "translation-note" in page and "[bg]" not in page


def test_subject_and_description_are_translated(client, world, sent):
    # Asked for when the request was sent (this test's transaction never commits: the
    # jobs are run here).
    for row in Translation.objects.filter(status=Translation.Status.PENDING):
        translation_services.process(row.pk)
    page = page_of(client, world.marie, sent)
    assert "[fr] [en] Ist dieses Diplom echt?" in page
    assert "[fr] [en] Diplom von Dr." in page  # the echo model splits after "Dr."
    # The inbox too shows the subject in her language.
    inbox = client.get(reverse("conversations:workspace")).content.decode()
    assert "[fr] [en] Diplom von Dr." in inbox


@pytest.mark.django_db(transaction=True)
def test_the_translation_follows_the_message_live(client, world, sent):
    held = HeldJobs()
    previous = queues.use_queue(held)
    marie_cookie = cookie(client, world.marie)

    async def scenario():
        marie = await connect(marie_cookie)
        await marie.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
        await frames(marie)
        await sync_to_async(services.post_message)(
            official=world.anna, request=sent, text="Bitte bis Freitag."
        )
        arrived = await frames(marie)
        assert "Bitte bis Freitag." in arrived and "translation-note--pending" in arrived
        # The worker finishes: her page gets the entry again, in French, in place.
        for job in list(held.ids):
            await sync_to_async(translation_services.process)(job)
        translated = await frames(marie)
        assert "[fr] [en] Bitte bis Freitag." in translated
        assert 'hx-swap-oob="true"' in translated
        await marie.disconnect()

    try:
        async_to_sync(scenario)()
    finally:
        queues.use_queue(previous)


def test_the_inbox_finds_a_message_by_a_word_of_its_translation(
    world, sent, django_capture_on_commit_callbacks
):
    from conversations import selectors
    from translation.models import source_hash

    services.post_message(official=world.anna, request=sent, text="Ist die Urkunde gefälscht?")
    Translation.objects.update_or_create(
        source_hash=source_hash("Ist die Urkunde gefälscht?"),
        source_language="de",
        target_language="fr",
        defaults={
            "source_text": "Ist die Urkunde gefälscht?",
            "text": "Le certificat est-il falsifié ?",
            "status": Translation.Status.DONE,
        },
    )
    found = selectors.inbox(world.marie, selectors.InboxFilters(text="falsifié"))
    assert [request.pk for request in found] == [sent.pk]
    # Anna reads German: the French word is not in anything she reads.
    assert not selectors.inbox(world.anna, selectors.InboxFilters(text="falsifié")).exists()
