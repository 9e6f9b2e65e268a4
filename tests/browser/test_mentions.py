"""Mentioning a colleague in a real browser: "@" and a few letters offer the names, the
keyboard takes one, and the colleague, elsewhere in Liaison, is told at once."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_requests import signed_in
from tests.browser.test_scale_out import accepted_request, off_the_loop
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared


@pytest.mark.django_db(transaction=True)
def test_a_colleague_is_mentioned_and_told_live(playwright_browser, daphne_server, world):  # noqa: F811
    request = off_the_loop(lambda: accepted_request(world))
    luc = signed_in(playwright_browser, daphne_server, "luc@paris.example")  # his workspace
    marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")
    marie.goto(f"{daphne_server.url}/requests/{request.pk}/")
    text = marie.locator("#composer-text")
    text.press_sequentially("Bitte prüfen, @Lu")
    choice = marie.locator("#mention-choices li", has_text="Luc Petit")
    expect(choice).to_be_visible()
    expect(choice).to_have_attribute("aria-selected", "true")
    text.press("Enter")
    expect(text).to_have_value("Bitte prüfen, @Luc Petit ")
    expect(marie.locator("#mention-choices")).to_be_hidden()
    text.press_sequentially("danke.")
    marie.locator("#composer button[type=submit]").click()
    expect(marie.locator("#thread .mention", has_text="@Luc Petit")).to_be_visible()

    # Luc, on his workspace, is told without reloading, and can go straight there.
    notice = luc.locator("#notices .notice-toast")
    expect(notice).to_contain_text("Marie Dubois")
    expect(notice).to_contain_text(request.number)
    expect(luc.locator("#inbox-badge")).to_contain_text("1")
    notice.get_by_role("link").click()
    expect(luc.locator("#thread .mention--me", has_text="@Luc Petit")).to_be_visible()
    # Having read it, the badge lets it go.
    expect(luc.locator(".inbox-badge--mention")).to_have_count(0)
