"""The engine runs argostranslate's own loading and translating code on the tiny packages."""

import os
import subprocess
import sys
from pathlib import Path

from translation import argos, packages
from translation.engine import FAILED, NO_MODEL, OK, Engine, LoadedModels

from .conftest import package_file

ROOT = Path(__file__).resolve().parents[2]


def test_a_direct_pair_translates_with_its_model(engine):
    outcome = engine.translate("Hallo Welt. Wie geht es?", "de", "en")

    assert outcome.status == OK
    assert outcome.text == "[en] Hallo Welt. [en] Wie geht es?"
    assert outcome.engine == "argos"
    assert outcome.model_version == f"argos {argos.version()} de→en 0.0.1"
    assert outcome.pivot == ""


def test_a_pair_without_its_own_model_goes_through_english(engine):
    outcome = engine.translate("Hallo Welt.", "de", "fr")

    assert outcome.status == OK
    assert outcome.text == "[fr] [en] Hallo Welt."
    assert outcome.pivot == "en"
    assert outcome.model_version == f"argos {argos.version()} de→en 0.0.1 + en→fr 0.0.1"


def test_paragraphs_are_kept(engine):
    outcome = engine.translate("Erste Zeile.\n\nZweite Zeile.", "de", "en")

    assert outcome.text == "[en] Erste Zeile.\n\n[en] Zweite Zeile."


def test_a_pair_without_any_model_says_so(engine):
    outcome = engine.translate("Hallo Welt.", "de", "bg")

    assert outcome.status == NO_MODEL
    assert outcome.text == ""
    assert "de→bg" in outcome.reason
    assert engine.loaded_pairs() == []


def test_the_same_language_or_an_empty_text_is_returned_as_it_is(engine):
    assert engine.translate("Hallo Welt.", "de", "de").text == "Hallo Welt."
    assert engine.translate("  \n", "de", "en").text == "  \n"
    assert engine.loaded_pairs() == []


def test_protected_values_pass_through_the_real_model_unchanged(engine):
    text = (
        "Siehe REQ-2026-000123 und schreiben Sie an anna.becker@bund.example.\n"
        "Gemäß Directive 2005/36/EC, Article 56 und Art. 61 bis 12.03.2026: "
        "https://ec.europa.eu/imi-net/index_en.htm"
    )

    outcome = engine.translate(text, "de", "en")

    assert outcome.text == (
        "[en] Siehe REQ-2026-000123 und schreiben Sie an anna.becker@bund.example.\n"
        "[en] Gemäß Directive 2005/36/EC, Article 56 und Art. 61 bis 12.03.2026: "
        "https://ec.europa.eu/imi-net/index_en.htm"
    )


def test_at_most_the_configured_number_of_models_stay_loaded():
    engine = Engine(max_models=1)

    engine.translate("Hallo.", "de", "en")
    assert engine.loaded_pairs() == [("de", "en")]
    first = engine.models.get(engine.catalogue()[("de", "en")])

    engine.translate("Hello.", "en", "fr")
    assert engine.loaded_pairs() == [("en", "fr")]
    assert engine.models.get(engine.catalogue()[("de", "en")]) is not first  # loaded again


def test_the_least_recently_used_model_is_unloaded_first():
    engine = Engine(max_models=2)

    engine.translate("Hallo.", "de", "en")
    engine.translate("Hello.", "en", "fr")
    engine.translate("Hallo wieder.", "de", "en")
    engine.translate("Olá.", "pt", "en")

    assert engine.loaded_pairs() == [("de", "en"), ("pt", "en")]


def test_a_loaded_model_is_argostranslates_own_translation_object(engine):
    engine.translate("Hallo.", "de", "en")
    model = engine.models.get(engine.catalogue()[("de", "en")])

    assert type(model).__name__ == "PackageTranslation"
    assert model.translator is not None


def test_a_broken_model_fails_without_raising(engine, monkeypatch):
    def broken(self, package):
        raise RuntimeError("model.bin is damaged")

    monkeypatch.setattr(LoadedModels, "get", broken)

    outcome = engine.translate("Hallo.", "de", "en")

    assert outcome.status == FAILED
    assert outcome.reason == "RuntimeError: model.bin is damaged"


def test_a_package_removed_or_installed_by_another_process_is_noticed(engine):
    engine.translate("Hallo.", "cs", "en")
    assert engine.can_translate("cs", "en")
    assert engine.can_translate("cs", "fr")  # through English

    try:
        packages.remove("cs", "en")
        assert engine.translate("Ahoj.", "cs", "en").status == NO_MODEL
        assert not engine.can_translate("cs", "fr")
        assert engine.loaded_pairs() == []
    finally:
        packages.install_file(package_file("cs", "en"))

    assert engine.translate("Ahoj.", "cs", "en").text == "[en] Ahoj."


def test_django_starts_without_importing_argostranslate():
    code = (
        "import sys, django; django.setup(); "
        "import config.asgi, config.urls, translation.services, translation.views; "
        "print('argostranslate' in sys.modules, 'torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == ["False", "False"]
