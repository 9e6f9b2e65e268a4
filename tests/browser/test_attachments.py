"""Attaching files in the composer of a real browser: a refused file is named beside the
input with the text kept; files chosen stay chosen when the text is refused, or while
the connection is down; the requested authority sees them once it has accepted."""

import pytest
from playwright.sync_api import expect

from conversations.models import Attachment
from conversations.services import requests as services
from tests.browser.test_requests import signed_in, step
from tests.browser.test_scale_out import off_the_loop
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared
from tests.live_server import DaphneServer

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50)


def chosen(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "application/octet-stream", "buffer": content}


@pytest.fixture
def server(transactional_db, tmp_path):
    server = DaphneServer(env={"MEDIA_ROOT": str(tmp_path / "media")})
    server.start()
    yield server
    server.stop()


def sent_request(world):  # noqa: F811
    draft = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Diplom",
        description="Ist es echt?",
    )
    return services.send_request(official=world.anna, request=draft, responder=world.paris)


@pytest.mark.django_db(transaction=True)
def test_files_in_the_composer(playwright_browser, server, world):  # noqa: F811
    request = off_the_loop(lambda: sent_request(world))
    url = f"{server.url}/requests/{request.pk}/"
    marie = signed_in(playwright_browser, server, "marie@paris.example")
    marie.goto(url)
    anna = signed_in(playwright_browser, server, "anna@berlin.example")
    anna.goto(url)
    text, files = anna.locator("#composer-text"), anna.locator("#composer-files")

    # A program is refused by name, beside the input; the text stays.
    text.fill("Anbei das Diplom.")
    files.set_input_files([chosen("report.exe", EXE)])
    anna.locator("#composer button[type=submit]").click()
    expect(anna.locator("#composer-files-errors")).to_contain_text("report.exe")
    expect(text).to_have_value("Anbei das Diplom.")

    # The text is refused (too long): the file chosen is still chosen.
    files.set_input_files([chosen("Diplom.pdf", PDF)])
    text.evaluate("(area, length) => { area.value = 'x'.repeat(length); }", 10_001)
    anna.locator("#composer button[type=submit]").click()
    expect(anna.locator("#composer-errors")).to_be_visible()
    anna.wait_for_function("() => document.querySelector('#composer-files').files.length === 1")
    text.fill("Anbei das Diplom.")
    anna.locator("#composer button[type=submit]").click()
    expect(anna.locator("#thread .entry", has_text="Anbei das Diplom.")).to_have_count(1)
    expect(text).to_have_value("")
    assert files.evaluate("input => input.files.length") == 0
    # Her own files are links at once, live, without a reload.
    attachment_link = anna.locator("#thread .entry__attachments a", has_text="Diplom.pdf")
    expect(attachment_link).to_have_count(1)
    with anna.expect_download() as download:
        attachment_link.click()
    assert download.value.suggested_filename == "Diplom.pdf"

    # Marie's open page gets the message with a notice, not the file: not accepted yet.
    entry = marie.locator("#thread .entry", has_text="Anbei das Diplom.")
    expect(entry.locator(".entry__attachments--hidden")).to_be_visible()
    expect(entry.locator("a", has_text="Diplom.pdf")).to_have_count(0)
    step(marie, "accept").locator("button[type=submit]").click()
    expect(marie.locator("#thread .entry__attachments a", has_text="Diplom.pdf")).to_be_visible()

    # The server goes away while Anna sends a file: it goes out once the server is back.
    server.stop()
    expect(anna.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    text.fill("Noch ein Dokument")
    files.set_input_files([chosen("Nachtrag.pdf", PDF)])
    anna.locator("#composer button[type=submit]").click()
    expect(anna.locator(".composer--pending")).to_be_visible()
    assert files.evaluate("input => input.files.length") == 1
    server.start()
    expect(anna.locator("#live-status")).to_have_attribute(
        "data-state", "connected", timeout=20_000
    )
    expect(anna.locator("#thread .entry", has_text="Noch ein Dokument")).to_have_count(
        1, timeout=10_000
    )
    assert off_the_loop(lambda: Attachment.objects.filter(name="Nachtrag.pdf").count()) == 1
    expect(anna.locator("#thread .entry__attachments a", has_text="Nachtrag.pdf")).to_be_visible()
