"""Translation works offline: argostranslate's import, its packages' loading and their
translating code open no socket, in this process or in a fresh one."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from translation import packages
from translation.engine import OK, Engine

from .conftest import PACKAGES, package_file, refuse_connections

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_sockets(monkeypatch) -> list[str]:
    """Stricter than the suite's guard: not even a connection to this machine."""
    return refuse_connections(monkeypatch, loopback=False)


def test_the_guard_notices_a_connection(no_sockets):
    with pytest.raises(OSError, match="No network"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)

    assert no_sockets == ["getaddrinfo 127.0.0.1"]
    no_sockets.clear()


def test_loading_and_translating_open_no_socket(no_sockets):
    engine = Engine(max_models=4)  # nothing loaded yet: every model is loaded here

    direct = engine.translate("Hallo Welt.", "de", "en")
    pivot = engine.translate("Cześć.", "pl", "pt")
    assert engine.loaded_pairs() == [("de", "en"), ("pl", "en"), ("en", "pt")]
    packages.install_file(package_file("cs", "en"))  # checked by loading it, then moved in
    reinstalled = engine.translate("Ahoj.", "cs", "en")

    assert (direct.text, pivot.text, reinstalled.text) == (
        "[en] Hallo Welt.",
        "[pt] [en] Cześć.",
        "[en] Ahoj.",
    )
    assert no_sockets == []


# Runs before anything else in a fresh interpreter: sockets are refused and recorded from
# the first import on, argostranslate (with stanza, spaCy and torch) is imported by
# installing the packages, and a message is translated through English.
FRESH_PROCESS = """
import json, socket, sys

attempts = []


def refuse(name):
    def refused(*args, **kwargs):
        attempts.append(f"{name} {args!r}")
        raise OSError("no network")

    return refused


socket.socket.connect = refuse("connect")
socket.socket.connect_ex = refuse("connect_ex")
socket.create_connection = refuse("create_connection")
socket.getaddrinfo = refuse("getaddrinfo")

import django

django.setup()

from pathlib import Path

from translation import packages
from translation.engine import Engine

for path in sorted(Path(sys.argv[1]).glob("*.argosmodel")):
    packages.install_file(path)
outcome = Engine(max_models=2).translate("Hallo Welt.", "de", "fr")
print(json.dumps({
    "status": outcome.status,
    "text": outcome.text,
    "argostranslate": "argostranslate" in sys.modules,
    "attempts": attempts,
}))
"""


def test_a_fresh_process_imports_loads_and_translates_without_a_socket(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARGOS_", "XDG_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        LIAISON_TRANSLATION_DIR=str(tmp_path / "translation"),
        LIAISON_VAR_DIR=str(tmp_path / "var"),
    )

    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(PACKAGES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "status": OK,
        "text": "[fr] [en] Hallo Welt.",
        "argostranslate": True,
        "attempts": [],
    }
