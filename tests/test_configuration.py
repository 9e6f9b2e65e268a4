"""Settings come from the environment: embedded defaults, production when configured."""

import json
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from channels.layers import InMemoryChannelLayer

from config.layers import EmbeddedChannelLayer

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "liaison.example.eu",
    "DATABASE_URL": "postgres://liaison:secret@db.internal:5432/liaison",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECRET_KEY",
            "LIAISON_HTTPS",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def settings_seen(env: dict[str, str], *names: str) -> dict:
    code = "; ".join(
        [
            "from django.conf import settings",
            "import json",
            f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))",
        ]
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_production_configuration_passes_the_deployment_checks(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "LIAISON_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_embedded_configuration_fails_them(tmp_path):
    """The checks are live: the plain-HTTP embedded defaults do not pass for production."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DEBUG": "1", "LIAISON_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0


def test_the_environment_selects_postgresql_and_redis(tmp_path):
    seen = settings_seen(
        {**PRODUCTION, "LIAISON_VAR_DIR": str(tmp_path)},
        "DATABASES",
        "CHANNEL_LAYERS",
        "SESSION_COOKIE_SECURE",
    )
    assert "django.db.backends.postgresql" in seen["DATABASES"]
    assert "db.internal" in seen["DATABASES"]
    assert "channels_redis" in seen["CHANNEL_LAYERS"]
    assert seen["SESSION_COOKIE_SECURE"] == "True"


def test_the_defaults_are_sqlite_and_the_in_memory_layer(tmp_path):
    seen = settings_seen({"LIAISON_VAR_DIR": str(tmp_path)}, "DATABASES", "CHANNEL_LAYERS")
    assert "sqlite3" in seen["DATABASES"]
    assert "EmbeddedChannelLayer" in seen["CHANNEL_LAYERS"]
    assert issubclass(EmbeddedChannelLayer, InMemoryChannelLayer)


def test_the_sqlite_database_runs_in_wal_mode(tmp_path):
    # Readers beside the writer: without WAL, live pages would wait on every message sent.
    result = run_manage("migrate", env={"LIAISON_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(tmp_path / "liaison.sqlite3")) as database:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path):
    first = settings_seen({"LIAISON_VAR_DIR": str(tmp_path)}, "SECRET_KEY")["SECRET_KEY"]
    second = settings_seen({"LIAISON_VAR_DIR": str(tmp_path)}, "SECRET_KEY")["SECRET_KEY"]
    assert first == second
    assert len(first) >= 50
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_malformed_boolean_is_a_clear_configuration_error(tmp_path):
    result = run_manage("check", env={"DEBUG": "maybe", "LIAISON_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
