"""Two Daphne processes share PostgreSQL and Redis: an official connected to the first
sees, live, a message sent through the second."""

import os
import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from conversations.services import requests as services
from tests.browser.test_requests import signed_in
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared
from tests.live_server import DaphneServer


def accepted_request(world):  # noqa: F811
    draft = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Diplom",
        description="Ist es echt?",
    )
    sent = services.send_request(official=world.anna, request=draft, responder=world.paris)
    return services.accept_request(official=world.marie, request=sent)


def off_the_loop(work):
    """Runs service code (which announces events through async_to_sync) in a thread of
    its own: Playwright keeps an event loop running in the test's thread."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs the production configuration (make test runs it with PostgreSQL and Redis)",
)


@pytest.mark.django_db(transaction=True)
def test_a_message_crosses_from_one_process_to_the_other(
    playwright_browser,
    daphne_server,
    world,  # noqa: F811
):
    assert connection.vendor == "postgresql"
    sent = off_the_loop(lambda: accepted_request(world))
    second = DaphneServer(env=daphne_server.extra_env).start()
    try:
        marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")
        marie.goto(f"{daphne_server.url}/requests/{sent.pk}/")
        expect(marie.locator("#live-status")).to_have_attribute("data-state", "connected")

        anna = signed_in(playwright_browser, second, "anna@berlin.example")
        anna.goto(f"{second.url}/requests/{sent.pk}/")
        anna.locator("#composer-text").fill("Über den zweiten Prozess")
        anna.locator("#composer button[type=submit]").click()

        expect(marie.locator("#thread")).to_contain_text("Über den zweiten Prozess")
    finally:
        second.stop()
