"""The translation suite runs the real argostranslate on tiny "echo" packages (built by
make_tiny_argos.py: every sentence comes back as "[<to>] <sentence>")."""

from pathlib import Path

import pytest

from tests.conftest import PACKAGES, install_tiny_models, package_file  # noqa: F401
from translation import queues
from translation.engine import Engine

PAIRS = sorted(path.stem.removeprefix("translate-") for path in PACKAGES.glob("*.argosmodel"))


@pytest.fixture(autouse=True)
def tiny_models(tiny_models_dir, settings) -> Path:
    """Each test of this suite translates with the tiny packages; the rest of the test
    suite (which pytest-django interleaves with it) keeps an empty package folder and
    never imports argostranslate."""
    settings.TRANSLATION_DIR = tiny_models_dir
    return tiny_models_dir


@pytest.fixture
def engine() -> Engine:
    return Engine(max_models=4)


@pytest.fixture
def pool():
    """An embedded pool in place of the process's queue, shut down after the test."""
    pool = queues.EmbeddedPool(threads=2, capacity=100)
    previous = queues.use_queue(pool)
    yield pool
    queues.use_queue(previous)
    pool.shutdown()


class HeldJobs:
    """A queue that only records job ids: the test runs `services.process` itself."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def submit(self, translation_ids: list[int]) -> None:
        self.ids.extend(translation_ids)


@pytest.fixture
def held_jobs() -> HeldJobs:
    held = HeldJobs()
    previous = queues.use_queue(held)
    yield held
    queues.use_queue(previous)
