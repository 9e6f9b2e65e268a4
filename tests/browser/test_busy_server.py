"""A message the server could not take (an error, not a refusal of its content) stays in
the composer, is said so, and goes again by itself a few seconds later, once."""

import pytest
from playwright.sync_api import expect

from conversations.models import RequestEvent
from tests.browser.test_requests import signed_in
from tests.browser.test_scale_out import accepted_request, off_the_loop
from tests.conftest import translated
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared


@pytest.mark.django_db(transaction=True)
def test_a_message_the_server_could_not_take_is_sent_again(
    playwright_browser,
    daphne_server,
    world,  # noqa: F811
):
    request = off_the_loop(lambda: accepted_request(world))
    marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")
    marie.goto(f"{daphne_server.url}/requests/{request.pk}/")
    failures = []

    def first_one_fails(route):
        if not failures:
            failures.append(route.request.url)
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    marie.route("**/messages/", first_one_fails)
    marie.locator("#composer-text").fill("Pendant la surcharge")
    marie.locator("#composer button[type=submit]").click()
    expect(marie.locator(".composer__status")).to_have_text(
        translated(
            "fr",
            "Not sent yet: the server could not take it just now. It will be sent again in a "
            "few seconds.",
        )
    )
    expect(marie.locator("#composer-text")).to_have_value("Pendant la surcharge")
    expect(marie.locator("#thread")).to_contain_text("Pendant la surcharge", timeout=10_000)
    expect(marie.locator("#composer-text")).to_have_value("")
    assert len(failures) == 1
    assert (
        off_the_loop(lambda: RequestEvent.objects.filter(body="Pendant la surcharge").count()) == 1
    )
