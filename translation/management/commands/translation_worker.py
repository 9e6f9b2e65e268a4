"""manage.py translation_worker [--threads N]: a translation worker of a production
deployment (TRANSLATION_QUEUE=channels); run as many as the load needs, on any machine."""

import asyncio
import signal

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from translation.workers import serve


class Command(BaseCommand):
    help = "Translates queued messages received through the channel layer (Redis)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.TRANSLATION_THREADS,
            help="Jobs translated at once (default TRANSLATION_THREADS).",
        )

    def handle(self, *args, threads: int, **options) -> None:
        layer = get_channel_layer()
        if isinstance(layer, InMemoryChannelLayer):
            raise CommandError(
                "A translation worker receives jobs from other processes: set REDIS_URL."
            )
        if threads < 1:
            raise CommandError("--threads must be at least 1")
        self.stdout.write(f"Translation worker: {threads} thread(s), channel layer {layer}")
        asyncio.run(self.run(layer, threads))

    async def run(self, layer, threads: int) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(layer, threads=threads, stop=stop)
        self.stdout.write("Translation worker stopped.")
