"""Where translation jobs go once the rows they concern are committed.

- `embedded` (default without REDIS_URL): a bounded pool of threads in this process; the
  model call releases the GIL inside CTranslate2, and nothing runs on the event loop.
- `channels` (default with REDIS_URL): the named channel TRANSLATION_JOB_CHANNEL of the
  channel layer, read by any number of `manage.py translation_worker` processes.
- `inline`: translated at once in the committing thread; for tests and scripts only.

A job is only a row id: a lost job (a full queue, a restart, an expired message) costs a
delay, never a translation, because the sweep queues pending rows again.
"""

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from typing import Protocol

from asgiref.sync import SyncToAsync, async_to_sync, sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

EMBEDDED = "embedded"
CHANNELS = "channels"
INLINE = "inline"


class Queue(Protocol):
    def submit(self, translation_ids: list[int]) -> None: ...


def run_job(translation_id: int) -> None:
    """One job in a worker thread, with the thread's database connection kept healthy."""
    from translation import services

    close_old_connections()
    try:
        services.process(translation_id)
    except Exception:
        logger.exception("Translation job %s failed", translation_id)
    finally:
        close_old_connections()


def run_sweep() -> None:
    from translation import services

    close_old_connections()
    try:
        services.sweep()
    except Exception:
        logger.exception("Translation sweep failed")
    finally:
        close_old_connections()


class InlineQueue:
    def submit(self, translation_ids: list[int]) -> None:
        from translation import services

        for translation_id in translation_ids:
            services.process(translation_id)


def server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the server this thread does synchronous work for: asgiref records
    it in the threads where it runs views and consumers' database work."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop


class EmbeddedPool:
    """A fixed number of threads and at most `capacity` waiting jobs; a job over capacity
    is left to the sweep rather than held in memory.

    In a server, jobs are started from the server's event loop (`sync_to_async` on the
    pool's threads): the `translation.ready` event a job sends then runs on that loop, which
    wakes at once. Sent from a loop of its own, as `async_to_sync` does in a bare thread, an
    event put in the in-memory layer waited until something else woke the server's loop.
    """

    def __init__(self, *, threads: int, capacity: int) -> None:
        self.capacity = capacity
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="translation")
        self._waiting: set[int] = set()
        self._futures: set[Future] = set()
        self._lock = threading.Lock()
        self._sweeper: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def submit(self, translation_ids: list[int]) -> None:
        loop = self._server_loop()
        for translation_id in translation_ids:
            with self._lock:
                if translation_id in self._waiting:
                    continue
                if len(self._waiting) >= self.capacity:
                    logger.warning("Translation queue full: %s waits for the sweep", translation_id)
                    continue
                self._waiting.add(translation_id)
                future = self._start(translation_id, loop)
                self._futures.add(future)
            future.add_done_callback(self._forget)

    def _server_loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's loop, as seen from this thread or remembered (the sweep's thread
        has none of its own)."""
        loop = server_loop()
        if loop is not None:
            self._loop = loop
        loop = self._loop
        return loop if loop is not None and loop.is_running() else None

    def _start(self, translation_id: int, loop: asyncio.AbstractEventLoop | None) -> Future:
        if loop is not None:
            job = sync_to_async(self._run, thread_sensitive=False, executor=self._executor)
            try:
                return asyncio.run_coroutine_threadsafe(job(translation_id), loop)
            except RuntimeError:  # the loop closed meanwhile: the server is stopping
                pass
        return self._executor.submit(self._run, translation_id)

    def _run(self, translation_id: int) -> None:
        # Off the waiting set before it starts: a request arriving while it runs queues it
        # again, so that request's subscription is seen by a job that starts after it.
        with self._lock:
            self._waiting.discard(translation_id)
        run_job(translation_id)

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._futures.discard(future)

    def warm(self) -> None:
        """Imports argostranslate in a pool thread, before the first message needs it."""
        from translation.engine import default_engine

        self._executor.submit(default_engine().warm)

    def start_sweeping(self, interval: float) -> None:
        """Runs the sweep every `interval` seconds in a daemon thread (once per pool)."""
        if interval <= 0 or self._sweeper is not None:
            return

        def loop() -> None:
            while True:
                time.sleep(interval)
                run_sweep()

        self._sweeper = threading.Thread(target=loop, name="translation-sweep", daemon=True)
        self._sweeper.start()

    def join(self, timeout: float | None = None) -> bool:
        """Waits until every submitted job has finished; True unless the timeout passed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                pending = set(self._futures)
            if not pending:
                return True
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            _, not_done = wait_for_futures(pending, timeout=remaining)
            if not_done and remaining == 0.0:
                return False

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class ChannelQueue:
    """Sends each job to the named channel every translation worker receives from."""

    def submit(self, translation_ids: list[int]) -> None:
        layer = get_channel_layer()
        channel = settings.TRANSLATION_JOB_CHANNEL

        async def send_all() -> None:
            for translation_id in translation_ids:
                await layer.send(channel, {"type": "translation.job", "id": translation_id})

        try:
            async_to_sync(send_all)()
        except ChannelFull:
            logger.warning("%s is full: pending translations wait for the sweep", channel)
        except Exception:
            logger.exception("Could not queue translations: they wait for the sweep")


_queue: Queue | None = None
_queue_lock = threading.Lock()


def build_queue(kind: str) -> Queue:
    if kind == CHANNELS:
        return ChannelQueue()
    if kind == INLINE:
        return InlineQueue()
    return EmbeddedPool(
        threads=settings.TRANSLATION_THREADS, capacity=settings.TRANSLATION_QUEUE_SIZE
    )


def get_queue() -> Queue:
    """The queue TRANSLATION_QUEUE names, built on first use."""
    global _queue
    with _queue_lock:
        if _queue is None:
            _queue = build_queue(settings.TRANSLATION_QUEUE)
        return _queue


def use_queue(queue: Queue | None) -> Queue | None:
    """Replaces the process's queue (None: rebuilt from settings); returns the previous one."""
    global _queue
    with _queue_lock:
        previous, _queue = _queue, queue
        return previous


def start_embedded_workers() -> None:
    """At server start, in embedded mode: the periodic sweep, and the engine warmed in a
    pool thread when packages are installed. Imports nothing heavy itself."""
    if settings.TRANSLATION_QUEUE != EMBEDDED:
        return
    pool = get_queue()
    if not isinstance(pool, EmbeddedPool):
        return
    pool.start_sweeping(settings.TRANSLATION_SWEEP_INTERVAL)
    if settings.TRANSLATION_WARM:
        pool.warm()
