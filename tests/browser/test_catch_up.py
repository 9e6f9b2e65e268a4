"""The connection drops mid-conversation: what the other side wrote meanwhile appears once
the page is back, in order, and what she wrote offline is sent, never lost."""

import pytest
from playwright.sync_api import expect

from conversations.models import RequestEvent
from conversations.services import requests as services
from tests.browser.test_requests import signed_in
from tests.browser.test_scale_out import accepted_request, off_the_loop
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared


@pytest.mark.django_db(transaction=True)
def test_a_cut_connection_catches_up_and_sends_what_was_typed(
    playwright_browser,
    daphne_server,
    world,  # noqa: F811
):
    request = off_the_loop(lambda: accepted_request(world))
    marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")
    marie.goto(f"{daphne_server.url}/requests/{request.pk}/")
    status = marie.locator("#live-status")
    expect(status).to_have_attribute("data-state", "connected")
    anna = signed_in(playwright_browser, daphne_server, "anna@berlin.example")
    anna.goto(f"{daphne_server.url}/requests/{request.pk}/")
    anna.locator("#composer-text").fill("Vor der Unterbrechung")
    anna.locator("#composer button[type=submit]").click()
    expect(marie.locator("#thread")).to_contain_text("Vor der Unterbrechung")

    # The server goes away; Anna goes on writing (stored, announced to nobody: Marie's
    # socket is down); Marie writes too.
    daphne_server.stop()
    expect(status).to_have_attribute("data-state", "reconnecting")
    for text in ("Erste verpasste Nachricht", "Zweite verpasste Nachricht"):
        off_the_loop(
            lambda text=text: services.post_message(official=world.anna, request=request, text=text)
        )
    marie.locator("#composer-text").fill("Écrit hors ligne")
    marie.locator("#composer button[type=submit]").click()
    expect(marie.locator(".composer--pending")).to_be_visible()
    expect(marie.locator("#composer-text")).to_have_value("Écrit hors ligne")

    # Back: the page catches up in order, and her message goes out by itself.
    daphne_server.start()
    expect(status).to_have_attribute("data-state", "connected", timeout=20_000)
    thread = marie.locator("#thread")
    expect(thread).to_contain_text("Zweite verpasste Nachricht", timeout=10_000)
    text = thread.inner_text()
    assert (
        text.index("Vor der Unterbrechung")
        < text.index("Erste verpasste Nachricht")
        < (text.index("Zweite verpasste Nachricht"))
    )
    expect(thread).to_contain_text("Écrit hors ligne", timeout=10_000)
    expect(thread.locator(".entry", has_text="Vor der Unterbrechung")).to_have_count(1)
    assert RequestEvent.objects.filter(body="Écrit hors ligne").count() == 1
