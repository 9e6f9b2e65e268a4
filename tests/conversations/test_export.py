"""Exporting a whole request as a PDF: each official's file reads as her page does, in her
language and time zone, with the original beneath every machine translation and nothing
her authority may not see yet. Real WeasyPrint, read back with pypdf; real argostranslate
with the tiny "echo" packages (every sentence comes back as "[<to>] <sentence>")."""

import io
import sys
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from conversations.models import QuestionSet
from conversations.services import cards as card_services
from conversations.services import requests as services
from conversations.templatetags.threads import language_name
from tests.conftest import translated
from tests.conversations.test_cards import QUESTIONS
from tests.translation.conftest import refuse_connections

SCAN = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def tiny_models(tiny_models_dir, settings, tmp_path):
    settings.TRANSLATION_DIR = tiny_models_dir
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def carded(world):
    """The procedure asks the standard questions of tests/conversations/test_cards.py."""
    QuestionSet.objects.create(code="test-diploma", version=1, data=QUESTIONS)
    world.procedure.question_set = "test-diploma"
    world.procedure.save()
    return world


def export_url(request) -> str:
    return reverse("conversations:export", args=[request.pk])


def exported(client, official, request):
    client.force_login(official)
    return client.get(export_url(request))


def pdf_text(response) -> tuple[str, int]:
    """The file's text, with every run of white space made one space, and its page count."""
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split()), len(pages)


def answer(world, card, official, **answers):
    return card_services.save_answers(
        official=official,
        card=card,
        answers={code.replace("_", "-"): [value] for code, value in answers.items()},
        revision=card.revision,
        submit=True,
    )


def spaced(text: str) -> str:
    """White space as pdf_text leaves it (French puts a no-break space before a colon)."""
    return " ".join(text.split())


def note(language: str, source: str) -> str:
    """ "Machine-translated from …" as a reader of `language` reads it."""
    with translation.override(language):
        named = language_name(source)
    return spaced(
        translated(language, "Machine-translated from %(language)s") % {"language": named}
    )


def when(moment, official) -> str:
    """A moment as the official's language writes it, in her time zone."""
    with translation.override(official.language):
        local = timezone.localtime(moment, zoneinfo.ZoneInfo(official.time_zone))
        return formats.date_format(local, "DATETIME_FORMAT")


def test_each_official_exports_the_case_in_her_language_with_the_originals(
    client, carded, monkeypatch, django_capture_on_commit_callbacks
):
    world = carded
    world.anna.time_zone = "Atlantic/Azores"  # two hours behind Paris
    world.anna.save()
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.create_draft(
            official=world.anna,
            requester=world.berlin,
            procedure=world.procedure,
            subject="Diplom von Dr. Lefèvre",
            description="Ist dieses Diplom echt?",
        )
        request = services.send_request(official=world.anna, request=draft, responder=world.paris)
        services.accept_request(official=world.marie, request=request)
        message = services.post_message(
            official=world.marie,
            request=request,
            text="Le diplôme est authentique.",
            attachments=[SimpleUploadedFile("attestation.pdf", SCAN)],
        )
        # Answered in French; "doubts" is asked only when the diploma is not authentic.
        answer(
            world,
            request.cards.get(),
            world.marie,
            authentic="yes",
            issuer="public",
            issued_on="2004-06-30",
            country="DE",
            holder="Jeanne Lefèvre",
        )
    attempts = refuse_connections(monkeypatch, loopback=False)

    response = exported(client, world.anna, request)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{request.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    german, pages = pdf_text(response)
    # The case, under German headings, every page numbered "Seite N von M".
    for heading in ("Requesting authority", "Requested authority", "Thread", "Person concerned"):
        assert translated("de", heading) in german
    assert "Ordre des médecins" in german and "Frankreich" in german
    assert request.number in german
    exported_by = translated("de", "Exported by %(name)s on %(date)s").split("%(date)s")[0]
    assert exported_by % {"name": "Anna Becker"} in german and "(Atlantic/Azores)" in german
    assert (
        translated("de", "Page %(number)s of %(total)s") % {"number": 1, "total": pages} in german
    )
    assert "Jeanne Lefèvre" in german  # the requester always sees her personal data
    # Marie's message, in German, marked, with her French words beneath, at Anna's time.
    assert "[de] [en] Le diplôme est authentique." in german
    assert note("de", "fr") in german
    assert "Original Le diplôme est authentique." in german  # German says "Original" too
    assert when(message.created_at, world.anna) in german
    attachment = message.attachments.get()
    with translation.override("de"):
        size = spaced(filesizeformat(attachment.size))
    assert f"attestation.pdf ({size}, PDF)" in german
    # The card answered in French reads in German: questions, options, yes, date, country;
    # the written answer translated, its original beneath; the question not asked is left out.
    assert "[de] Diploma check" in german and translated("de", "Answered") in german
    assert "[de] Issuer? [de] Public body" in german
    assert f"[de] Authentic? {translated('de', 'Yes')}" in german
    assert "[de] Issued on? 30. Juni 2004" in german
    assert "[de] Country of training? Deutschland" in german
    assert "[de] Holder's name? [de] [en] Jeanne Lefèvre" in german
    assert "[de] Why not?" not in german
    assert "[fr]" not in german

    french, _pages = pdf_text(exported(client, world.marie, request))
    for heading in ("Requesting authority", "Requested authority", "Thread", "Person concerned"):
        assert translated("fr", heading) in french
    assert "Allemagne" in french
    # Anna's description reads in French, its German original beneath; Marie's own words
    # are as she wrote them.
    assert "[fr] [en] Ist dieses Diplom echt?" in french and note("fr", "de") in french
    assert "Ist dieses Diplom echt?" in french.replace("[fr] [en] Ist dieses Diplom echt?", "")
    assert "Le diplôme est authentique." in french and "[de]" not in french
    assert "[fr] Issuer? [fr] Public body" in french
    assert f"[fr] Authentic? {translated('fr', 'Yes')}" in french
    assert "[fr] Issued on? 30 juin 2004" in french
    assert "[fr] Holder's name? Jeanne Lefèvre" in french
    assert attempts == [], f"the export tried to reach the network: {attempts}"


def test_the_requested_authority_exports_no_personal_data_before_it_accepts(
    client, carded, django_capture_on_commit_callbacks
):
    world = carded
    request = services.send_request(
        official=world.anna,
        request=services.create_draft(
            official=world.anna,
            requester=world.berlin,
            procedure=world.procedure,
            subject="Diplom",
            description="Ist es echt?",
            person_concerned="Jeanne Lefèvre, born 1980-02-03",
        ),
        responder=world.paris,
    )
    services.post_message(
        official=world.anna,
        request=request,
        text="Anbei das Diplom.",
        attachments=[SimpleUploadedFile("diplom-lefevre.pdf", SCAN)],
    )
    # Paris asks back before accepting; Berlin names the holder in the answer.
    follow_up = card_services.add_card(
        official=world.marie, request=request, question_set="test-diploma", codes=["holder"]
    )
    answer(world, follow_up, world.anna, holder="Dr. Jeanne Mercier")

    french, _pages = pdf_text(exported(client, world.marie, request))
    assert "Lefèvre" not in french and "Mercier" not in french and "diplom-lefevre" not in french
    hidden = (
        "Personal data is shown once your authority has accepted the request.",
        "Personal data: shown once your authority has accepted the request.",
    )
    for notice in hidden:
        assert spaced(translated("fr", notice)) in french
    with translation.override("fr"):
        files = translation.ngettext(
            "%(counter)s attachment, visible once your authority accepts the request",
            "%(counter)s attachments, visible once your authority accepts the request",
            1,
        ) % {"counter": 1}
    assert spaced(files) in french


def test_only_officials_who_may_read_the_request_export_it(client, world, sent):
    response = client.get(export_url(sent))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert exported(client, world.jan, sent).status_code == 404  # Prague takes no part
    # Everyone who reads the request is offered the export, a supervisor too.
    client.force_login(world.sophie)
    page = client.get(reverse("conversations:request", args=[sent.pk])).text
    assert export_url(sent) in page and translated("fr", "Export as PDF") in page


def test_a_server_without_weasyprint_says_so_instead_of_failing(client, world, sent, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as when pango cannot be loaded
    response = exported(client, world.anna, sent)
    assert response.status_code == 503
    assert translated("de", "PDF export unavailable") in response.text
    assert response["Content-Type"].startswith("text/html")
