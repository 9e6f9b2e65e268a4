"""Every UI string exists in all 26 languages, and every page is served in each."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from translation.languages import LANGUAGES

ROOT = Path(settings.BASE_DIR)
SOURCES = ["config", "directory", "conversations", "translation", "templates", "manage.py"]
CODES = [language.code for language in LANGUAGES]


def catalog(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def entry_key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


@pytest.fixture(scope="module")
def extracted_msgids(tmp_path_factory) -> set[tuple[str | None, str]]:
    """The strings the code and templates use today, extracted as `make makemessages` does."""
    tree = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tree / name)
    (tree / "locale").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LIAISON_VAR_DIR": str(tree / "var"),
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "en",
            "--keep-pot",
            "--no-location",
            "--verbosity",
            "0",
        ],
        cwd=tree,
        env=env,
        check=True,
    )
    return {entry_key(entry) for entry in polib.pofile(str(tree / "locale" / "django.pot"))}


def test_the_26_languages_are_offered():
    assert len(settings.LANGUAGES) == 26
    assert {code for code, _ in settings.LANGUAGES} == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_the_catalog_has_every_string_of_the_code_translated(code, extracted_msgids):
    po = catalog(code)
    assert po.metadata.get("Language") == code
    assert not po.metadata_is_fuzzy
    present = {entry_key(entry) for entry in po if not entry.obsolete}
    missing = extracted_msgids - present
    assert not missing, f"{code}: run `make makemessages` and translate: {sorted(missing)}"
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert not untranslated, f"{code}: untranslated strings: {untranslated}"
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not fuzzy, f"{code}: fuzzy strings need a translator's check: {fuzzy}"


@pytest.mark.parametrize("code", CODES)
def test_the_catalog_is_valid_for_msgfmt(code):
    po_file = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po_file)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_the_workspace_is_served_in_each_language(client, make_official, code):
    client.force_login(make_official(language=code))
    response = client.get(reverse("conversations:workspace"))
    assert response["Content-Language"] == code
    with translation.override(code):
        title = translation.gettext("Workspace")
    if code != "en":
        assert title != "Workspace"
    assert f"<title>{title} · Liaison</title>" in response.text
