"""Bad input has a clear outcome, and nothing of the original is lost: empty text, only
emoji, 20,000 characters, mixed scripts, a language code no one knows, a package file
that is not a model."""

import re
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from translation import argos, catalogue, packages, services
from translation.engine import NO_MODEL, OK
from translation.masking import mask, unmask
from translation.models import Translation

from .conftest import package_file

Status = Translation.Status
MARKER = re.compile(r"\[(?:en|fr)\] ?")


def translate_stored(text: str, source: str, target: str) -> Translation:
    """Through the service, as a message is: requested, then processed by a worker."""
    row = services.request(text=text, source=source, targets=[target])[target]
    services.process(row.pk)
    row.refresh_from_db()
    return row


# --- empty, emoji only: nothing to translate, the original stands -------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😀🎉👍", "👍 🙂!", "42", "12.03.2026 14:30"])
def test_a_text_without_a_letter_is_not_sent_to_a_model(
    db, django_capture_on_commit_callbacks, engine, text
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.request(text=text, source="de", targets=["en", "fr"]) == {
            "en": None,
            "fr": None,
        }
        assert services.request_many(items=[(text, "de")], target="fr") == {(text, "de"): None}
    assert callbacks == []  # no job queued
    assert not Translation.objects.exists()

    outcome = engine.translate(text, "de", "fr")  # a row stored before still reads as it is
    assert (outcome.status, outcome.text) == (OK, text)
    assert engine.loaded_pairs() == []


def test_emoji_within_words_are_translated_with_them(db, held_jobs):
    row = translate_stored("Danke 👍", "de", "fr")

    assert (row.status, row.text) == (Status.DONE, "[fr] [en] Danke 👍")


# --- 20,000 characters: translated in pieces, nothing lost --------------------------------


def test_twenty_thousand_characters_of_sentences_keep_every_sentence(db, held_jobs):
    sentences = [f"Satz Nummer {number} steht hier unten." for number in range(700)]
    text = " ".join(sentences)
    assert len(text) > 20_000

    row = translate_stored(text, "de", "en")

    assert row.status == Status.DONE
    assert row.text == " ".join(f"[en] {sentence}" for sentence in sentences)


def test_a_sentence_too_long_for_the_model_is_translated_in_pieces(engine):
    # CTranslate2 decodes at most 256 tokens per sentence (a character each for the tiny
    # model): in one piece, all but the first fifty words would be dropped.
    words = [f"wort{number}" for number in range(2_500)]
    text = " ".join(words)
    assert len(text) > 20_000

    outcome = engine.translate(text, "de", "fr")

    assert outcome.status == OK
    assert outcome.text.startswith("[fr] [en] wort0 wort1 ")
    assert MARKER.sub("", outcome.text).split() == words


def test_a_word_too_long_for_the_model_is_translated_in_pieces(engine):
    text = "a" * 20_000

    outcome = engine.translate(text, "de", "en")

    assert outcome.status == OK
    assert MARKER.sub("", outcome.text) == text


def test_long_paragraphs_keep_their_breaks(engine):
    long_line = " ".join(["lang"] * 400)
    text = f"Erste Zeile.\n\n{long_line}\nLetzte Zeile."

    lines = engine.translate(text, "de", "en").text.split("\n")

    assert lines[:2] == ["[en] Erste Zeile.", ""]
    assert MARKER.sub("", lines[2]).split() == ["lang"] * 400
    assert lines[3] == "[en] Letzte Zeile."


def test_more_values_than_placeholders_are_never_exchanged():
    # 1,200 numbers: more than the 899 placeholders. Those left in the text must never
    # be read back as a placeholder, which would turn one number into another.
    text = " ".join(f"Punkt {number}." for number in range(1, 1_200))

    masked, tokens = mask(text)

    assert unmask(masked, tokens) == text


def test_many_values_survive_the_real_model(engine):
    text = " ".join(
        f"Frist {number}.{number % 12 + 1}.2026 für REQ-2026-{number:06d}." for number in range(400)
    )

    outcome = engine.translate(text, "de", "en")

    assert MARKER.sub("", outcome.text) == text


# --- mixed scripts -------------------------------------------------------------------------


def test_mixed_scripts_pass_through_the_model_intact(db, held_jobs):
    text = "Привет, hello, Γειά σου, 你好, مرحبا, Grüß Gott, Dzień dobry 🙂"

    row = translate_stored(text, "de", "fr")

    assert (row.status, row.text) == (Status.DONE, f"[fr] [en] {text}")


# --- a language code no one knows ----------------------------------------------------------


def test_an_unknown_language_asks_for_nothing_and_has_no_model(db, held_jobs, engine):
    assert services.request(text="Hallo.", source="xx", targets=["en"]) == {"en": None}
    assert services.request(text="Hallo.", source="de", targets=["xx", "en"])["xx"] is None
    assert services.lookup(items=[("Hallo.", "xx")], target="en") == {}
    assert list(Translation.objects.values_list("target_language", flat=True)) == ["en"]

    for source, target in [("xx", "en"), ("de", "xx"), ("de-AT", "en")]:
        outcome = engine.translate("Hallo.", source, target)
        assert (outcome.status, outcome.text) == (NO_MODEL, "")
        assert f"{source}→{target}" in outcome.reason
    assert engine.loaded_pairs() == []


def test_a_stored_row_of_an_unknown_language_ends_without_a_model(db):
    row = Translation.objects.create(
        source_hash="0" * 64, source_language="xx", target_language="en", source_text="Hallo."
    )

    services.process(row.pk)

    row.refresh_from_db()
    assert (row.status, row.text) == (Status.NO_MODEL, "")
    assert "xx→en" in row.error


# --- a package file that is not a model ----------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("translation_packages", *args, stdout=out, stderr=out)
    return out.getvalue()


def snapshot() -> tuple:
    """What is installed, down to the folders and the packages folder's own stamp."""
    folder = argos.packages_dir()
    return (
        packages.installed(),
        sorted(path.name for path in folder.iterdir()),
        catalogue.fingerprint(folder),
    )


@pytest.fixture
def untouched():
    """The installed packages are exactly as before the test; no staging folder is left."""
    before = snapshot()
    yield
    assert snapshot() == before
    assert not list(argos.directory().glob(".install-*"))


def rewrite(origin: Path, destination: Path, change) -> Path:
    """A copy of a package archive with some members changed: `change(name, data)` returns
    the new data, or None to leave the member out."""
    with zipfile.ZipFile(origin) as source, zipfile.ZipFile(destination, "w") as copy:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                copy.writestr(info, data)
    return destination


def test_a_text_file_named_argosmodel_is_refused(tmp_path, untouched):
    junk = tmp_path / "translate-de_en.argosmodel"
    junk.write_text("Dies ist kein Modell.")

    with pytest.raises(CommandError, match=r"is not an \.argosmodel archive \(a zip file\)"):
        run("install", str(junk))


def test_a_zip_without_metadata_is_refused(tmp_path, untouched):
    archive = rewrite(
        package_file("de", "en"),
        tmp_path / "translate-de_en.argosmodel",
        lambda name, data: None if name.endswith("metadata.json") else data,
    )

    with pytest.raises(CommandError, match=r"has no <folder>/metadata\.json"):
        run("install", str(archive))


def test_a_zip_of_loose_files_is_refused(tmp_path, untouched):
    archive = tmp_path / "loose.argosmodel"
    with zipfile.ZipFile(archive, "w") as loose:
        loose.writestr("metadata.json", '{"from_code": "de", "to_code": "en"}')
        loose.writestr("model.bin", b"\0" * 100)

    with pytest.raises(CommandError, match=r"has no <folder>/metadata\.json"):
        run("install", str(archive))


def test_metadata_that_is_not_json_is_refused(tmp_path, untouched):
    archive = rewrite(
        package_file("de", "en"),
        tmp_path / "translate-de_en.argosmodel",
        lambda name, data: b"{not json" if name.endswith("metadata.json") else data,
    )

    with pytest.raises(CommandError, match=r"cannot be read"):
        run("install", str(archive))


def test_a_package_without_a_model_is_refused(tmp_path, untouched):
    archive = rewrite(
        package_file("de", "en"),
        tmp_path / "translate-de_en.argosmodel",
        lambda name, data: None if "/model/" in name else data,
    )

    with pytest.raises(CommandError, match=r"has no model \(translate-de_en/model/model\.bin\)"):
        run("install", str(archive))


def test_a_model_file_that_is_not_a_model_is_refused_and_the_installed_one_kept(
    tmp_path, untouched, engine
):
    archive = rewrite(
        package_file("de", "en"),
        tmp_path / "translate-de_en.argosmodel",
        lambda name, data: b"not a model" * 100 if name.endswith("model.bin") else data,
    )

    with pytest.raises(CommandError, match=r"its model cannot be loaded \(RuntimeError: .+\)"):
        run("install", str(archive))

    assert engine.translate("Hallo.", "de", "en").text == "[en] Hallo."


def test_a_damaged_archive_is_refused(tmp_path, untouched):
    stored = tmp_path / "stored.argosmodel"
    with (
        zipfile.ZipFile(package_file("de", "en")) as source,
        zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as copy,
    ):
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info), zipfile.ZIP_STORED)
    data = stored.read_bytes()
    with zipfile.ZipFile(stored) as archive:
        model = archive.read("translate-de_en/model/model.bin")
    start = data.index(model[:64])
    damaged = tmp_path / "translate-de_en.argosmodel"
    damaged.write_bytes(data[: start + 1000] + b"\xff" * 16 + data[start + 1016 :])

    with pytest.raises(CommandError, match=r"is damaged \(translate-de_en/model/model\.bin"):
        run("install", str(damaged))


def test_a_package_that_would_overwrite_another_pair_is_refused(tmp_path, untouched):
    # An en→fr package in a folder named as the installed de→en one.
    renamed = tmp_path / "renamed.argosmodel"
    with (
        zipfile.ZipFile(package_file("en", "fr")) as source,
        zipfile.ZipFile(renamed, "w") as copy,
    ):
        for info in source.infolist():
            name = info.filename.replace("translate-en_fr", "translate-de_en", 1)
            copy.writestr(name, source.read(info))

    with pytest.raises(CommandError, match=r"would overwrite the de→en package"):
        run("install", str(renamed))


def test_one_bad_file_among_several_installs_none(tmp_path, untouched):
    good = shutil.copy(package_file("pl", "en"), tmp_path / "translate-pl_en.argosmodel")
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"PK\x03\x04 not really")

    with pytest.raises(CommandError, match=r"junk\.argosmodel is not an \.argosmodel archive"):
        run("install", str(good), str(junk))
