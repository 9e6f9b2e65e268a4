"""manage.py translation_packages: list, install from files or from an index, remove."""

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import live_server
from translation import argos, catalogue, packages
from translation.models import Translation, source_hash

from .conftest import PAIRS, package_file

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = StringIO()
    call_command("translation_packages", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_list_shows_every_installed_pair_with_its_version():
    lines = run("list").splitlines()

    assert len(lines) == len(PAIRS)
    assert "de → en  0.0.1" in lines
    assert "en → fr  0.0.1" in lines


def test_remove_then_install_a_file(db):
    waiting = Translation.objects.create(
        source_hash=source_hash("Cześć."),
        source_language="pl",
        target_language="en",
        source_text="Cześć.",
        status=Translation.Status.NO_MODEL,
    )
    try:
        assert "Removed pl → en" in run("remove", "pl", "en")
        assert "pl → en" not in run("list")
        with pytest.raises(CommandError, match="No package pl → en"):
            run("remove", "pl", "en")
    finally:
        output = run("install", str(package_file("pl", "en")))

    assert "Installed pl → en 0.0.1" in output
    assert "1 translations waiting for a model are queued again." in output
    waiting.refresh_from_db()
    assert waiting.status == Translation.Status.PENDING


def test_installing_a_pair_again_replaces_it(db):
    run("install", str(package_file("de", "en")))

    folders = [path.name for path in packages.installed()[("de", "en")].path.parent.iterdir()]
    assert folders.count("translate-de_en") == 1
    assert len(run("list").splitlines()) == len(PAIRS)


def test_a_file_that_is_not_a_package_is_refused(tmp_path):
    junk = tmp_path / "junk.argosmodel"
    junk.write_text("not a zip")

    with pytest.raises(CommandError, match=r"not an \.argosmodel archive"):
        run("install", str(junk))
    with pytest.raises(CommandError, match=r"either \.argosmodel files or --from-index"):
        run("install")


@pytest.fixture
def package_index(tmp_path):
    """A local HTTP server with an index.json and three tiny packages, as the public index
    serves them."""
    served = tmp_path / "index"
    served.mkdir()
    handler = functools.partial(QuietHandler, directory=str(served))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_port}/"
    index = []
    for source, target in [("de", "en"), ("en", "de"), ("en", "fr"), ("ja", "en")]:
        name = f"translate-{source}_{target}.argosmodel"
        origin = package_file(source, target) if source != "ja" else package_file("de", "en")
        shutil.copy(origin, served / name)
        index.append(
            {
                "type": "translate",
                "code": f"translate-{source}_{target}",
                "package_version": "0.0.1",
                "argos_version": "1.9",
                "from_code": source,
                "to_code": target,
                "from_name": source,
                "to_name": target,
                "links": [base + name],
            }
        )
    (served / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def manage(*args: str, directory: Path, index: str) -> subprocess.CompletedProcess:
    """The command in a fresh process: argostranslate reads ARGOS_PACKAGE_INDEX at import."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": live_server.test_database_url(),
        "LIAISON_TRANSLATION_DIR": str(directory),
        "ARGOS_PACKAGE_INDEX": index,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "translation_packages", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_install_from_index_installs_the_pairs_among_the_languages_and_english(
    package_index, tmp_path
):
    directory = tmp_path / "translation"

    # Without its final slash, as an operator may write it.
    index = package_index.rstrip("/")

    result = manage("install", "--from-index", "de", "fr", directory=directory, index=index)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Installed de → en 0.0.1",
        "Installed en → de 0.0.1",
        "Installed en → fr 0.0.1",
    ]
    assert "Not in the index: fr → en" in result.stderr
    assert set(catalogue.installed(directory / "packages")) == {
        ("de", "en"),
        ("en", "de"),
        ("en", "fr"),
    }
    assert not list((directory / "cache" / "argos-translate" / "downloads").iterdir())

    again = manage("install", "--from-index", "de", directory=directory, index=index)
    assert again.stdout.splitlines() == ["Up to date: de → en 0.0.1", "Up to date: en → de 0.0.1"]


def test_install_from_an_unreachable_index_says_so(monkeypatch):
    unreachable = "http://127.0.0.1:9/index.json"
    monkeypatch.setattr(argos.load().settings, "remote_package_index", unreachable)

    with pytest.raises(CommandError, match=f"The package index {unreachable} cannot be reached"):
        run("install", "--from-index", "de")
