"""The translation worker of a production deployment: receives job ids from the named
channel of the channel layer (Redis) and translates them in a pool of threads, next to
any number of other workers on any machine; sweeps now and then."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from redis.exceptions import TimeoutError as RedisTimeoutError

from translation.engine import default_engine
from translation.queues import run_job, run_sweep

logger = logging.getLogger(__name__)

RECEIVE_RETRY_DELAY = 1.0  # seconds, while the channel layer (Redis) cannot be reached


def _ignore_outcome(task: asyncio.Future) -> None:
    """A receive cancelled at shutdown may end in an error: nobody waits for it."""
    if not task.cancelled():
        task.exception()


async def receive_job(layer) -> int | None:
    """The next job's row id (None for a message that is not a job)."""
    while True:
        try:
            message = await layer.receive(settings.TRANSLATION_JOB_CHANNEL)
        except RedisTimeoutError:
            # Redis did not answer within the connection's read timeout (config/settings.py
            # sets it above the blocking pop's): wait for the next job all the same.
            continue
        break
    translation_id = message.get("id")
    if message.get("type") != "translation.job" or not isinstance(translation_id, int):
        logger.warning("Ignored a message that is not a translation job: %r", message)
        return None
    return translation_id


def job_runner(executor: ThreadPoolExecutor):
    """`run_job` in `executor`, started from the worker's event loop: the `translation.ready`
    event a job sends goes out on that loop, through its open connection to the channel
    layer, not through a new loop and a new connection per job."""
    return sync_to_async(run_job, thread_sensitive=False, executor=executor)


async def work_once(layer, executor: ThreadPoolExecutor) -> int | None:
    """Receives one job and runs it in `executor`; returns its row id."""
    translation_id = await receive_job(layer)
    if translation_id is not None:
        await job_runner(executor)(translation_id)
    return translation_id


async def sweep_periodically(interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        await asyncio.to_thread(run_sweep)


async def serve(layer, *, threads: int, stop: asyncio.Event) -> None:
    """Runs until `stop` is set: at most `threads` jobs at a time, so a busy worker leaves
    the next jobs in the channel for an idle one."""
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="translation")
    await loop.run_in_executor(executor, default_engine().warm)
    sweeper = None
    if settings.TRANSLATION_SWEEP_INTERVAL > 0:
        sweeper = asyncio.create_task(sweep_periodically(settings.TRANSLATION_SWEEP_INTERVAL))
    run = job_runner(executor)
    slots = asyncio.Semaphore(threads)
    running: set[asyncio.Task] = set()
    stopping = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            await slots.acquire()
            receiving = asyncio.ensure_future(receive_job(layer))
            await asyncio.wait({receiving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not receiving.done():
                receiving.add_done_callback(_ignore_outcome)
                receiving.cancel()  # a job lost here stays pending for the sweep
                break
            try:
                translation_id = receiving.result()
            except Exception as error:
                logger.warning("Receiving translation jobs failed (%s); retrying", error)
                translation_id = None
                await asyncio.sleep(RECEIVE_RETRY_DELAY)
            if translation_id is None:
                slots.release()
                continue
            task = asyncio.ensure_future(run(translation_id))
            running.add(task)
            task.add_done_callback(running.discard)
            task.add_done_callback(lambda _: slots.release())
        if running:
            await asyncio.wait(running)
    finally:
        stopping.cancel()
        if sweeper is not None:
            sweeper.cancel()
        executor.shutdown(wait=True)
