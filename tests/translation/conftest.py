"""The translation suite runs the real argostranslate on tiny "echo" packages (built by
make_tiny_argos.py: every sentence comes back as "[<to>] <sentence>"), offline: a test
that opens a connection beyond this machine fails."""

import ipaddress
import socket
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


def refuse_connections(monkeypatch, *, loopback: bool) -> list[str]:
    """Every connection and name lookup is refused (but those to this machine when
    `loopback`) and recorded in the returned list: argostranslate, spaCy and stanza catch
    network errors and carry on, so a refusal alone could go unnoticed."""
    attempts: list[str] = []

    def allowed(host) -> bool:
        if not loopback:
            return False
        if host is None:  # a Unix socket, or a lookup for a local bind
            return True
        if isinstance(host, bytes):
            host = host.decode()
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def guard(name: str, real, host_of):
        def guarded(*args, **kwargs):
            host = host_of(*args, **kwargs)
            if not allowed(host):
                attempts.append(f"{name} {host}")
                raise OSError(f"No network in the translation tests ({name} {host})")
            return real(*args, **kwargs)

        return guarded

    def address_host(_socket, address, *args, **kwargs):
        return address[0] if isinstance(address, tuple) else None  # None: a Unix socket

    monkeypatch.setattr(
        socket.socket, "connect", guard("connect", socket.socket.connect, address_host)
    )
    monkeypatch.setattr(
        socket.socket, "connect_ex", guard("connect_ex", socket.socket.connect_ex, address_host)
    )
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        guard("getaddrinfo", socket.getaddrinfo, lambda host, *args, **kwargs: host),
    )
    return attempts


@pytest.fixture(autouse=True)
def no_outside_connections(monkeypatch):
    """Loading and translating with real argostranslate code reaches nothing beyond this
    machine (the local services a test runs against, PostgreSQL and Redis, are on it)."""
    attempts = refuse_connections(monkeypatch, loopback=True)
    yield attempts
    assert attempts == [], f"the test tried to reach the network: {attempts}"


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
