"""The store and its pipeline: one row per text and pair, claimed once, retried, announced."""

import threading
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.utils import timezone

from translation import services
from translation.engine import FAILED, Engine, Outcome
from translation.models import Subscription, Translation, source_hash

Status = Translation.Status
TEXT = "Bitte beantworten Sie REQ-2026-000123 bis 12.03.2026."


class CountingEngine(Engine):
    """The real engine, counting its translations (and slowed down, to overlap workers)."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(max_models=4)
        self.calls = 0
        self.delay = delay
        self._count_lock = threading.Lock()

    def translate(self, text, source, target):
        with self._count_lock:
            self.calls += 1
        if self.delay:
            threading.Event().wait(self.delay)
        return super().translate(text, source, target)


@pytest.fixture
def counting(monkeypatch) -> CountingEngine:
    engine = CountingEngine()
    monkeypatch.setattr(services, "default_engine", lambda: engine)
    return engine


def receive(channel: str) -> dict:
    layer = get_channel_layer()
    return async_to_sync(layer.receive)(channel)


def listen(group: str) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def test_a_request_stores_pending_rows_and_translates_them_after_commit(
    db, counting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.request(text=TEXT, source="de", targets=["en", "fr", "de", "bg"])
        assert {target: row and row.status for target, row in rows.items()} == {
            "en": Status.PENDING,
            "fr": Status.PENDING,
            "de": None,
            "bg": Status.PENDING,
        }

    english = Translation.objects.get(target_language="en")
    assert english.status == Status.DONE
    assert english.text == "[en] Bitte beantworten Sie REQ-2026-000123 bis 12.03.2026."
    assert english.source_hash == source_hash(TEXT)
    assert english.model_version.endswith("de→en 0.0.1")
    assert english.attempts == 1
    assert english.claimed_by == ""
    french = Translation.objects.get(target_language="fr")
    assert (french.text, french.pivot) == (
        "[fr] [en] Bitte beantworten Sie REQ-2026-000123 bis 12.03.2026.",
        "en",
    )
    bulgarian = Translation.objects.get(target_language="bg")
    assert (bulgarian.status, bulgarian.text) == (Status.NO_MODEL, "")


def test_nothing_is_queued_before_the_transaction_commits(db, counting):
    services.request(text=TEXT, source="de", targets=["en"])

    assert Translation.objects.get().status == Status.PENDING
    assert counting.calls == 0


def test_an_identical_text_reuses_the_stored_translation(
    db, counting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request(text=TEXT, source="de", targets=["en"])["en"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.request(text=TEXT, source="de", targets=["en"])["en"]

    assert again.pk == first.pk
    assert again.status == Status.DONE
    assert callbacks == []  # nothing queued
    assert counting.calls == 1
    assert Translation.objects.count() == 1


def test_the_same_text_in_another_source_language_is_another_row(db):
    services.request(text="Mail", source="de", targets=["en"])
    services.request(text="Mail", source="fr", targets=["en"])

    assert Translation.objects.count() == 2


def test_request_many_asks_for_a_whole_page_into_one_language(db):
    rows = services.request_many(
        items=[("Hallo.", "de"), ("Bonjour.", "fr"), ("Hello.", "en"), ("Hallo.", "de")],
        target="en",
    )

    assert set(rows) == {("Hallo.", "de"), ("Bonjour.", "fr"), ("Hello.", "en")}
    assert rows[("Hello.", "en")] is None
    assert Translation.objects.count() == 2


def test_lookup_reads_the_translations_of_a_page_in_one_query(
    db, django_capture_on_commit_callbacks, django_assert_num_queries
):
    texts = [(f"Nachricht {number}.", "de") for number in range(20)]
    with django_capture_on_commit_callbacks(execute=True):
        for text, source in texts:
            services.request(text=text, source=source, targets=["en"])

    with django_assert_num_queries(1):
        found = services.lookup(items=[*texts, ("Unbekannt.", "de"), ("Hi.", "en")], target="en")

    assert set(found) == set(texts)
    assert found[("Nachricht 3.", "de")].text == "[en] Nachricht 3."


def test_a_finished_translation_is_announced_to_the_groups_that_asked(
    db, django_capture_on_commit_callbacks
):
    channel = listen("request.7")

    with django_capture_on_commit_callbacks(execute=True):
        rows = services.request(
            text=TEXT,
            source="de",
            targets=["en"],
            notify=[("request.7", {"request": 7, "entry": 31})],
        )

    assert receive(channel) == {
        "type": "liaison.event",
        "event": {
            "request": 7,
            "entry": 31,
            "kind": "translation.ready",
            "translation": rows["en"].pk,
            "source_hash": source_hash(TEXT),
            "source_language": "de",
            "target_language": "en",
            "status": "done",
        },
    }
    assert not Subscription.objects.exists()


def test_a_payload_that_is_not_json_fails_where_it_is_made(db):
    with pytest.raises(TypeError):
        services.request(text=TEXT, source="de", targets=["en"], notify=[("g", {"at": object()})])


def test_a_row_another_worker_claimed_is_not_translated_again(db, counting):
    row = services.request(text=TEXT, source="de", targets=["en"])["en"]
    Translation.objects.filter(pk=row.pk).update(claimed_by="other:1/x", claimed_at=timezone.now())

    assert services.process(row.pk) is None
    assert counting.calls == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_translate_a_row_once(monkeypatch, held_jobs):
    engine = CountingEngine(delay=0.2)
    monkeypatch.setattr(services, "default_engine", lambda: engine)
    row = services.request(text=TEXT, source="de", targets=["en"])["en"]
    assert held_jobs.ids == [row.pk]
    start = threading.Barrier(2)
    results = []

    def work() -> None:
        start.wait()
        try:
            results.append(services.process(row.pk))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert engine.calls == 1
    assert sorted(result is None for result in results) == [False, True]
    assert Translation.objects.get().status == Status.DONE


def test_a_failure_is_retried_later_with_a_growing_delay(
    db, counting, monkeypatch, settings, held_jobs
):
    settings.TRANSLATION_RETRY_DELAY = 30
    row = services.request(text=TEXT, source="de", targets=["en"])["en"]
    monkeypatch.setattr(
        CountingEngine, "translate", lambda self, *args: Outcome("", FAILED, reason="busy")
    )

    before = timezone.now()
    failed = services.process(row.pk)

    assert (failed.status, failed.attempts, failed.error) == (Status.FAILED, 1, "busy")
    assert before + timedelta(seconds=29) < failed.next_attempt_at
    assert failed.next_attempt_at < timezone.now() + timedelta(seconds=31)
    assert services.sweep().queued == []  # not yet

    report = services.sweep(now=failed.next_attempt_at + timedelta(seconds=1))
    assert (report.retried, report.queued, held_jobs.ids) == (1, [row.pk], [row.pk])
    again = services.process(row.pk)
    assert (again.status, again.attempts) == (Status.FAILED, 2)
    assert again.next_attempt_at - timezone.now() > timedelta(seconds=55)  # 60 s now

    monkeypatch.undo()
    monkeypatch.setattr(services, "default_engine", lambda: Engine(max_models=1))
    services.sweep(now=again.next_attempt_at + timedelta(seconds=1))
    done = services.process(row.pk)
    assert (done.status, done.attempts, done.error) == (Status.DONE, 3, "")


def test_after_the_last_attempt_a_failure_is_final_and_announced(
    db, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.TRANSLATION_MAX_ATTEMPTS = 1
    monkeypatch.setattr(
        Engine, "translate", lambda self, *args: Outcome("", FAILED, reason="broken")
    )
    channel = listen("request.8")

    with django_capture_on_commit_callbacks(execute=True):
        services.request(text=TEXT, source="de", targets=["en"], notify=[("request.8", {})])

    row = Translation.objects.get()
    assert (row.status, row.next_attempt_at, row.is_final) == (Status.FAILED, None, True)
    assert receive(channel)["event"]["status"] == "failed"


def test_the_sweep_queues_again_rows_whose_job_was_lost(db, settings, counting):
    settings.TRANSLATION_REQUEUE_AFTER = 120
    settings.TRANSLATION_CLAIM_TIMEOUT = 300
    now = timezone.now()
    fresh, lost, dead_worker, working = (
        services.request(text=f"Text {number}.", source="de", targets=["en"])["en"]
        for number in range(4)
    )
    Translation.objects.filter(pk=lost.pk).update(queued_at=now - timedelta(minutes=5))
    Translation.objects.filter(pk__in=[dead_worker.pk, working.pk]).update(
        queued_at=now - timedelta(minutes=30), claimed_by="gone:1/x", attempts=1
    )
    Translation.objects.filter(pk=dead_worker.pk).update(claimed_at=now - timedelta(minutes=6))
    Translation.objects.filter(pk=working.pk).update(claimed_at=now - timedelta(minutes=1))

    report = services.sweep(now=now)

    assert sorted(report.queued) == sorted([lost.pk, dead_worker.pk])
    assert services.sweep(now=now).queued == []  # each lost row is queued by one sweep
    assert Translation.objects.get(pk=dead_worker.pk).status == Status.DONE  # taken over
    assert Translation.objects.get(pk=fresh.pk).status == Status.PENDING


def test_a_row_whose_workers_keep_stopping_is_given_up(db, settings):
    settings.TRANSLATION_MAX_ATTEMPTS = 2
    row = services.request(text=TEXT, source="de", targets=["en"])["en"]
    Translation.objects.filter(pk=row.pk).update(
        attempts=2, claimed_by="gone:1/x", claimed_at=timezone.now() - timedelta(hours=1)
    )

    assert services.sweep().abandoned == 1
    row.refresh_from_db()
    assert (row.status, row.claimed_by) == (Status.FAILED, "")


def test_rows_without_a_model_are_reopened_once_a_route_exists(db, engine):
    waiting = Translation.objects.create(
        source_hash=source_hash("Ahoj."),
        source_language="cs",
        target_language="fr",
        source_text="Ahoj.",
        status=Status.NO_MODEL,
    )
    still = Translation.objects.create(
        source_hash=source_hash("Ahoj."),
        source_language="cs",
        target_language="bg",
        source_text="Ahoj.",
        status=Status.NO_MODEL,
    )

    assert services.reopen_translatable(engine=engine) == 1

    waiting.refresh_from_db()
    still.refresh_from_db()
    assert (waiting.status, waiting.queued_at) == (Status.PENDING, None)
    assert still.status == Status.NO_MODEL
    assert services.sweep().queued == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.text == "[fr] [en] Ahoj."


def test_forgetting_a_text_deletes_its_translations(db):
    services.request(text=TEXT, source="de", targets=["en", "fr"])
    services.request(text="Anderes.", source="de", targets=["en"])

    assert services.forget(items=[(TEXT, "de")]) == 2
    assert Translation.objects.count() == 1
