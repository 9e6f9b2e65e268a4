"""Where jobs run: the embedded pool of a single process, the channel-layer workers of a
production deployment."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from redis.exceptions import TimeoutError as RedisTimeoutError

from translation import checks, queues, services, workers
from translation.models import Translation

Status = Translation.Status
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_embedded_pool_translates_after_commit_and_announces_it(pool):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("request.12", channel)

    rows = services.request(
        text="Guten Tag.", source="de", targets=["en", "pl"], notify=[("request.12", {"entry": 4})]
    )
    assert pool.join(timeout=30)

    assert {row.target_language: row.text for row in Translation.objects.all()} == {
        "en": "[en] Guten Tag.",
        "pl": "[pl] [en] Guten Tag.",
    }

    async def two_events() -> list[dict]:
        return [
            (await asyncio.wait_for(layer.receive(channel), timeout=5))["event"] for _ in range(2)
        ]

    events = async_to_sync(two_events)()
    assert sorted((event["target_language"], event["translation"]) for event in events) == [
        ("en", rows["en"].pk),
        ("pl", rows["pl"].pk),
    ]
    assert {(event["kind"], event["status"], event["entry"]) for event in events} == {
        ("translation.ready", "done", 4)
    }


def test_a_full_pool_leaves_the_job_to_the_sweep():
    pool = queues.EmbeddedPool(threads=1, capacity=0)
    previous = queues.use_queue(pool)
    try:
        row = services.request(text="Guten Tag.", source="de", targets=["en"])["en"]
        assert pool.join(timeout=5)
        row.refresh_from_db()
        assert row.status == Status.PENDING
    finally:
        queues.use_queue(previous)
        pool.shutdown()


def test_in_a_server_the_ready_event_wakes_the_waiting_socket_at_once(pool):
    """A job started from a server's thread sends its event on the server's loop. Sent from
    a loop of the pool thread's own, the in-memory layer did not wake the server's loop:
    the socket heard the translation only when something else happened (the next message)."""
    layer = get_channel_layer()

    def send_message() -> None:  # a view's work, in a thread asgiref runs for the server
        services.request(
            text="Guten Abend.", source="de", targets=["en"], notify=[("request.77", {"entry": 7})]
        )

    async def server() -> tuple[dict, float]:
        channel = await layer.new_channel()
        await layer.group_add("request.77", channel)
        receiving = asyncio.ensure_future(layer.receive(channel))
        await sync_to_async(send_message, thread_sensitive=False)()
        started = time.monotonic()
        message = await asyncio.wait_for(receiving, timeout=10)
        return message["event"], time.monotonic() - started

    event, waited = asyncio.run(server())

    assert (event["kind"], event["status"], event["entry"]) == ("translation.ready", "done", 7)
    assert waited < 3


def test_a_worker_sends_the_ready_event_on_its_own_loop(monkeypatch):
    """Not on a new loop per job, each with a new connection to the channel layer."""
    layer = get_channel_layer()
    previous = queues.use_queue(queues.ChannelQueue())
    try:
        services.request(
            text="Dzień dobry.", source="pl", targets=["en"], notify=[("request.78", {})]
        )
    finally:
        queues.use_queue(previous)
    loops = []
    group_send = layer.group_send

    async def recording(group, message):
        loops.append(asyncio.get_running_loop())
        await group_send(group, message)

    monkeypatch.setattr(layer, "group_send", recording)

    async def work() -> asyncio.AbstractEventLoop:
        with ThreadPoolExecutor(max_workers=1) as executor:
            await workers.work_once(layer, executor)
        return asyncio.get_running_loop()

    worker_loop = asyncio.run(work())

    assert loops == [worker_loop]


def test_a_channel_layer_worker_translates_a_job_sent_to_its_channel(settings):
    layer = get_channel_layer()
    previous = queues.use_queue(queues.ChannelQueue())
    try:
        row = services.request(text="Dobrý den.", source="cs", targets=["en"])["en"]
    finally:
        queues.use_queue(previous)
    row.refresh_from_db()
    assert row.status == Status.PENDING  # waiting in the channel

    with ThreadPoolExecutor(max_workers=1) as executor:
        received = async_to_sync(workers.work_once)(layer, executor)

    assert received == row.pk
    row.refresh_from_db()
    assert (row.status, row.text) == (Status.DONE, "[en] Dobrý den.")


def test_a_worker_ignores_a_message_that_is_not_a_job(settings):
    layer = get_channel_layer()
    async_to_sync(layer.send)(settings.TRANSLATION_JOB_CHANNEL, {"type": "something.else"})

    with ThreadPoolExecutor(max_workers=1) as executor:
        assert async_to_sync(workers.work_once)(layer, executor) is None


def pending_left() -> bool:
    try:
        return Translation.objects.filter(status=Status.PENDING).exists()
    finally:
        connection.close()  # a thread of the event loop's executor: no connection left open


def test_a_worker_serves_until_it_is_stopped(settings):
    settings.TRANSLATION_SWEEP_INTERVAL = 0
    layer = get_channel_layer()
    previous = queues.use_queue(queues.ChannelQueue())
    try:
        rows = services.request(text="Bom dia.", source="pt", targets=["en", "de"])
    finally:
        queues.use_queue(previous)

    async def serve_until_done() -> None:
        stop = asyncio.Event()
        serving = asyncio.create_task(workers.serve(layer, threads=2, stop=stop))
        for _ in range(300):
            if not await asyncio.to_thread(pending_left):
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(serving, timeout=10)

    async_to_sync(serve_until_done)()

    assert {row.target_language: row.text for row in Translation.objects.all()} == {
        "en": "[en] Bom dia.",
        "de": "[de] [en] Bom dia.",
    }
    assert set(rows) == {"en", "de"}


def test_the_worker_command_needs_a_shared_channel_layer():
    if not isinstance(get_channel_layer(), InMemoryChannelLayer):
        pytest.skip("a shared channel layer is configured")
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("translation_worker")


class FlakyLayer:
    """A channel layer whose blocking read times out once on an idle channel, as
    channels-redis does under redis-py 8, then delivers a job."""

    def __init__(self) -> None:
        self.reads = 0

    async def receive(self, channel: str) -> dict:
        self.reads += 1
        if self.reads == 1:
            raise RedisTimeoutError("Timeout reading from 127.0.0.1:6379")
        return {"type": "translation.job", "id": 5}


def test_an_idle_channel_timing_out_is_not_an_error():
    layer = FlakyLayer()

    assert async_to_sync(workers.receive_job)(layer) == 5
    assert layer.reads == 2


def test_the_channels_queue_needs_a_shared_channel_layer(settings):
    settings.TRANSLATION_QUEUE = "channels"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    assert [error.id for error in checks.translation_queue_reaches_workers()] == [
        "translation.E001"
    ]
    settings.TRANSLATION_QUEUE = "embedded"
    assert checks.translation_queue_reaches_workers() == []
