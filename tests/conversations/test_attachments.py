"""Attachments on thread messages: what may be attached, how it is stored, and who may
open it: like personal data, the requested authority only once it has accepted."""

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conversations.models import Attachment, RequestEvent
from conversations.services import requests as services
from conversations.services.attachments import clean_name
from tests.conftest import translated

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(13)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(16)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50)
ALLOWED = "PDF, PNG, JPEG, TXT, CSV, ODT, ODS, DOCX, XLSX"


def zipped(member: str = "mimetype", content: str = "application/zip") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


def upload(name: str, content: bytes, claimed: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=claimed)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def refusal(world, sent, *files, text: str = "Anbei die Unterlagen.") -> list[str]:
    with pytest.raises(Exception) as refused:
        services.post_message(official=world.anna, request=sent, text=text, attachments=files)
    return refused.value.message_dict["attachments"]


def download(client, official, attachment: Attachment, request_id: int | None = None):
    """The response, its file read into `body` (which closes it, as a server would)."""
    client.force_login(official)
    response = client.get(
        reverse(
            "conversations:attachment", args=[request_id or attachment.request_id, attachment.pk]
        )
    )
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


def plural(code: str, singular: str, plural_text: str, count: int) -> str:
    """The string as officials of language `code` read it, translated or not yet."""
    with translation.override(code):
        return translation.ngettext(singular, plural_text, count) % {"counter": count}


HIDDEN = (
    "%(counter)s attachment, visible once your authority accepts the request",
    "%(counter)s attachments, visible once your authority accepts the request",
)


# --- what may be attached ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Diplom.pdf", PDF, "application/pdf"),
        ("Scan.PNG", PNG, "image/png"),
        ("Foto.jpg", JPEG, "image/jpeg"),
        ("Foto.jpeg", JPEG, "image/jpeg"),
        ("Notiz.txt", "Grüße aus Berlin\n".encode(), "text/plain"),
        ("Liste.csv", "Name;Jahr\nLefèvre;1980\n".encode(), "text/csv"),
        ("Brief.odt", zipped(), "application/vnd.oasis.opendocument.text"),
        ("Tabelle.ods", zipped(), "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "Brief.docx",
            zipped("[Content_Types].xml", "<Types/>"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Tabelle.xlsx",
            zipped("[Content_Types].xml", "<Types/>"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_each_allowed_type_is_stored_with_the_type_we_found(
    world, sent, media, name, content, content_type
):
    # The browser's claim is not believed: the stored type comes from the content.
    event = services.post_message(
        official=world.anna,
        request=sent,
        text="",
        attachments=[upload(name, content, claimed="application/x-msdownload")],
    )
    attachment = event.attachments.get()
    assert attachment.name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.request_id == sent.pk
    assert attachment.uploaded_by == world.anna
    # A dated folder and a random name: the sender's file name never reaches the disk.
    extension = Path(name).suffix.lower()
    assert re.fullmatch(
        rf"attachments/\d{{4}}/\d{{2}}/\d{{2}}/[0-9a-f]{{32}}\{extension}", attachment.file.name
    )
    on_disk = media / attachment.file.name
    assert on_disk.read_bytes() == content
    assert on_disk.stat().st_mode & 0o777 == 0o600


def test_a_message_may_be_text_files_or_both_but_not_nothing(world, sent):
    files_only = services.post_message(
        official=world.anna, request=sent, attachments=[upload("Diplom.pdf", PDF)]
    )
    assert files_only.body == ""
    both = services.post_message(
        official=world.anna,
        request=sent,
        text="Zwei Dateien",
        attachments=[upload("a.pdf", PDF), upload("b.png", PNG)],
    )
    assert [a.name for a in both.attachments.all()] == ["a.pdf", "b.png"]
    with pytest.raises(Exception) as refused:
        services.post_message(official=world.anna, request=sent, text="  ", attachments=[])
    assert refused.value.message_dict == {"text": ["Write something first."]}


def test_a_file_of_a_type_not_allowed_is_refused_by_name(world, sent, media):
    assert refusal(world, sent, upload("report.exe", EXE)) == [
        f"report.exe: this type of file cannot be attached. Allowed: {ALLOWED}."
    ]
    assert refusal(world, sent, upload("no extension", PDF)) == [
        f"no extension: this type of file cannot be attached. Allowed: {ALLOWED}."
    ]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("scan.pdf", EXE, "PDF"),  # a program named like a document
        ("photo.png", JPEG, "PNG"),
        ("photo.jpg", PDF, "JPEG"),
        ("letter.docx", PDF, "DOCX"),
        ("notes.txt", b"text\x00with a NUL byte", "TXT"),
        ("table.csv", "Lefèvre".encode("latin-1"), "CSV"),  # not UTF-8
        ("notes.txt", "cut in the middle: é".encode()[:-1], "TXT"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    world, sent, name, content, kind
):
    assert refusal(world, sent, upload(name, content)) == [
        f"{name} is not a {kind} file, whatever its name says; it cannot be attached."
    ]


def test_a_file_over_the_limit_is_refused_with_its_size(world, sent, settings):
    settings.LIAISON_ATTACHMENT_MAX_MB = 1
    content = PDF + bytes(1024 * 1024)
    assert refusal(world, sent, upload("scan.pdf", content)) == [
        "scan.pdf is 1.1 MB; the limit is 1 MB."  # just over the limit never reads "1.0"
    ]
    settings.LIAISON_ATTACHMENT_MAX_MB = 10
    big = upload("big.pdf", PDF + bytes(14 * 1024 * 1024 + 200_000))
    assert refusal(world, sent, big) == ["big.pdf is 14.2 MB; the limit is 10 MB."]
    settings.LIAISON_ATTACHMENT_MAX_MB = 1
    exactly = PDF + bytes(1024 * 1024 - len(PDF))
    event = services.post_message(
        official=world.anna, request=sent, attachments=[upload("full.pdf", exactly)]
    )
    assert event.attachments.get().size == 1024 * 1024


def test_an_empty_file_is_refused(world, sent):
    assert refusal(world, sent, upload("leer.pdf", b"")) == ["leer.pdf is empty."]


def test_six_files_are_refused(world, sent):
    files = [upload(f"{number}.pdf", PDF) for number in range(6)]
    assert refusal(world, sent, *files) == ["At most 5 files per message."]


def test_every_refusal_comes_at_once_and_nothing_is_written(world, sent, media):
    before = RequestEvent.objects.count()
    refused = refusal(
        world,
        sent,
        upload("good.pdf", PDF),
        upload("report.exe", EXE),
        upload("scan.pdf", EXE),
        text="x" * 10_001,
    )
    assert len(refused) == 2
    with pytest.raises(Exception) as both:
        services.post_message(
            official=world.anna,
            request=sent,
            text="x" * 10_001,
            attachments=[upload("report.exe", EXE)],
        )
    assert set(both.value.message_dict) == {"text", "attachments"}
    assert RequestEvent.objects.count() == before
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_files_stored_for_a_message_that_fails_are_deleted(world, sent, media, monkeypatch):
    """The second row fails to be written after two files are stored: the message, its
    rows and its files are all gone."""
    save = Attachment.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    before = RequestEvent.objects.count()
    with pytest.raises(RuntimeError):
        services.post_message(
            official=world.anna,
            request=sent,
            text="Zwei Dateien",
            attachments=[upload("a.pdf", PDF), upload("b.pdf", PDF)],
        )
    assert RequestEvent.objects.count() == before
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_deleting_a_request_deletes_its_files(
    world, sent, media, django_capture_on_commit_callbacks
):
    services.post_message(official=world.anna, request=sent, attachments=[upload("a.pdf", PDF)])
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        sent.delete()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("sent_as", "kept_as"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\anna\\Diplom.pdf", "Diplom.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),  # right-to-left override: shows "exe.pdf"
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        ("  .hidden.pdf. ", "hidden.pdf"),
        ("", "attachment"),
        ("Zeugnis Lefe\u0300vre.pdf", "Zeugnis Lefèvre.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_file_names_are_cleaned_for_showing_and_downloading(sent_as, kept_as):
    assert clean_name(sent_as) == kept_as


# --- who may open them -------------------------------------------------------------------------


def test_the_requested_authority_sees_files_only_once_it_accepts(client, world, sent):
    event = services.post_message(
        official=world.anna,
        request=sent,
        text="Das Diplom",
        attachments=[upload("Diplom Lefèvre.pdf", PDF), upload("Foto.png", PNG)],
    )
    attachment = event.attachments.first()
    page_url = reverse("conversations:request", args=[sent.pk])
    link = reverse("conversations:attachment", args=[sent.pk, attachment.pk])

    client.force_login(world.marie)
    page = client.get(page_url).text
    assert plural("fr", *HIDDEN, 2) in page
    assert "Diplom Lefèvre.pdf" not in page  # a file name can be personal data too
    assert link not in page
    assert download(client, world.marie, attachment).status_code == 403
    for reader in (world.sophie, world.claire, world.nora):  # read, but not before acceptance
        assert download(client, reader, attachment).status_code == 403

    client.force_login(world.anna)
    page = client.get(page_url).text
    assert link in page
    assert "Diplom Lefèvre.pdf" in page
    assert download(client, world.anna, attachment).status_code == 200

    services.accept_request(official=world.marie, request=sent)
    client.force_login(world.marie)
    page = client.get(page_url).text
    assert link in page
    assert plural("fr", *HIDDEN, 2) not in page
    assert f"{filesizeformat(len(PDF))}, PDF" in page
    assert download(client, world.marie, attachment).status_code == 200
    assert download(client, world.sophie, attachment).status_code == 200


def test_the_requested_authority_always_sees_its_own_files(client, world, sent):
    event = services.post_message(
        official=world.marie, request=sent, text="", attachments=[upload("Frage.pdf", PDF)]
    )
    attachment = event.attachments.get()
    assert download(client, world.marie, attachment).status_code == 200
    assert download(client, world.luc, attachment).status_code == 200  # her colleague
    assert download(client, world.anna, attachment).status_code == 200


def test_an_authority_outside_the_case_gets_nothing(client, world, sent):
    event = services.post_message(
        official=world.anna, request=sent, attachments=[upload("Diplom.pdf", PDF)]
    )
    attachment = event.attachments.get()
    services.accept_request(official=world.marie, request=sent)
    for stranger in (world.jan, world.lea):
        assert download(client, stranger, attachment).status_code == 404
    client.logout()
    response = client.get(reverse("conversations:attachment", args=[sent.pk, attachment.pk]))
    assert response.status_code == 302  # to the sign-in page


def test_an_attachment_id_of_another_request_is_not_found(client, world, sent):
    other = services.send_request(
        official=world.anna,
        request=services.create_draft(
            official=world.anna,
            requester=world.berlin,
            procedure=world.procedure,
            subject="Anderer Fall",
            description="Noch ein Diplom",
        ),
        responder=world.paris,
    )
    elsewhere = services.post_message(
        official=world.anna, request=other, attachments=[upload("Anderes.pdf", PDF)]
    ).attachments.get()
    # Anna may read both requests, but the file belongs to the other one.
    assert download(client, world.anna, elsewhere, request_id=sent.pk).status_code == 404
    assert download(client, world.anna, elsewhere).status_code == 200
    missing = Attachment(pk=elsewhere.pk + 1000, request_id=sent.pk)
    assert download(client, world.anna, missing).status_code == 404


def test_a_download_is_the_original_file_under_its_original_name(client, world, sent):
    event = services.post_message(
        official=world.anna,
        request=sent,
        attachments=[upload("Diplom Lefevre.pdf", PDF), upload("Zeugnis Müller.pdf", PDF)],
    )
    plain, accented = event.attachments.all()
    response = download(client, world.anna, plain)
    assert response.body == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Diplom Lefevre.pdf"'
    assert response["Content-Length"] == str(len(PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    response = download(client, world.anna, accented)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Zeugnis%20M%C3%BCller.pdf"
    )


# --- the composer and the thread ----------------------------------------------------------------


def test_the_composer_keeps_the_text_when_a_file_is_refused(client, world, sent, media):
    client.force_login(world.anna)
    url = reverse("conversations:message", args=[sent.pk])
    refused = client.post(
        url,
        {"text": "Anbei das Diplom.", "attachments": [upload("report.exe", EXE)]},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    assert 'id="composer"' in refused.text
    assert ">Anbei das Diplom.</textarea>" in refused.text
    with translation.override("de"):
        expected = translation.gettext(
            "%(name)s: this type of file cannot be attached. Allowed: %(allowed)s."
        ) % {"name": "report.exe", "allowed": ALLOWED}
    errors = refused.text.index('id="composer-files-errors"')
    assert refused.text.index(expected, errors) < refused.text.index('id="composer-files"')
    assert 'aria-invalid="true"' in refused.text
    assert not RequestEvent.objects.filter(body="Anbei das Diplom.").exists()
    assert stored_files(media) == []

    accepted = client.post(
        url,
        {"text": "Anbei das Diplom.", "attachments": [upload("Diplom.pdf", PDF)]},
        HTTP_HX_REQUEST="true",
    )
    attachment = Attachment.objects.get()
    assert reverse("conversations:attachment", args=[sent.pk, attachment.pk]) in accepted.text
    assert ">Anbei das Diplom.</textarea>" not in accepted.text  # a fresh composer
    assert 'enctype="multipart/form-data"' in accepted.text
    assert 'hx-encoding="multipart/form-data"' in accepted.text


def test_the_composer_without_htmx_shows_the_refusal_on_the_page(client, world, sent):
    client.force_login(world.anna)
    response = client.post(
        reverse("conversations:message", args=[sent.pk]),
        {"text": "Bitte prüfen", "attachments": [upload("scan.pdf", EXE)]},
    )
    assert response.status_code == 422
    refusal = translated(
        "de", "%(name)s is not a %(type)s file, whatever its name says; it cannot be attached."
    ) % {"name": "scan.pdf", "type": "PDF"}
    assert refusal in response.text
    assert ">Bitte prüfen</textarea>" in response.text


def test_the_composer_offers_only_the_allowed_types(client, world, sent):
    client.force_login(world.anna)
    page = client.get(reverse("conversations:request", args=[sent.pk])).text
    assert 'name="attachments" multiple' in page
    assert 'accept=".pdf,.png,.jpg,.jpeg,.txt,.csv,.odt,.ods,.docx,.xlsx"' in page


def thread_queries(client, official, request) -> int:
    client.force_login(official)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("conversations:request", args=[request.pk])).status_code == 200
    return len(queries)


def test_the_thread_loads_attachments_in_one_query_whatever_their_number(client, world, sent):
    def message_with_files():
        services.post_message(
            official=world.anna,
            request=sent,
            attachments=[upload("a.pdf", PDF), upload("b.png", PNG)],
        )

    message_with_files()
    one = {reader: thread_queries(client, reader, sent) for reader in (world.anna, world.marie)}
    for _ in range(4):
        message_with_files()
    for reader in (world.anna, world.marie):  # links for one, notices for the other
        assert thread_queries(client, reader, sent) == one[reader]


@pytest.mark.django_db(transaction=True)
def test_a_replayed_thread_shows_each_reader_what_she_may_open(world, sent, media):
    from tests.conversations.test_live import connect, cookie, frames

    attachment = services.post_message(
        official=world.anna, request=sent, attachments=[upload("Diplom.pdf", PDF)]
    ).attachments.get()
    link = reverse("conversations:attachment", args=[sent.pk, attachment.pk])

    def replay(official) -> str:
        session = cookie(Client(), official)

        async def scenario():
            socket = await connect(session)
            await socket.send_to(text_data=json.dumps({"type": "watch", "request": sent.pk}))
            heard = await frames(socket)
            await socket.disconnect()
            return heard

        return async_to_sync(scenario)()

    assert link in replay(world.anna)
    marie_hears = replay(world.marie)
    assert link not in marie_hears
    assert plural("fr", *HIDDEN, 1) in marie_hears


def test_an_entry_rendered_without_its_reader_shows_no_file(world, sent):
    """A fragment that does not say for whom it is rendered (a live entry before the
    consumer passes its official and request) falls back to the notice."""
    from django.template.loader import render_to_string

    from conversations import selectors

    event = services.post_message(
        official=world.anna, request=sent, attachments=[upload("Diplom.pdf", PDF)]
    )
    entry = selectors.thread_entry(sent, event.pk)
    link = reverse("conversations:attachment", args=[sent.pk, event.attachments.get().pk])
    template = "conversations/partials/thread_append.html"
    with translation.override("en"):
        alone = render_to_string(template, {"entries": [entry]})
    assert link not in alone
    assert plural("en", *HIDDEN, 1) in alone
    request = selectors.request_for(world.anna, sent.pk, light=True)
    shown = render_to_string(
        template, {"entries": [entry], "official": world.anna, "request": request}
    )
    assert link in shown


def test_the_admin_shows_attachments_read_only(client, world, sent, make_official):
    attachment = services.post_message(
        official=world.anna, request=sent, attachments=[upload("Diplom.pdf", PDF)]
    ).attachments.get()
    operator = make_official(email="op@liaison.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    listing = client.get(reverse("admin:conversations_attachment_changelist"))
    assert "Diplom.pdf" in listing.text
    page = client.get(reverse("admin:conversations_attachment_change", args=[attachment.pk]))
    assert page.status_code == 200
    assert attachment.file.name in page.text
    assert 'type="file"' not in page.text
    assert client.get(reverse("admin:conversations_attachment_add")).status_code == 403
