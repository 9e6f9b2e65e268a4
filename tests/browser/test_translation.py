"""Reading the other side in one's own language, live, in a real browser: the message
arrives at once in German, its French translation replaces it in place, and the German
original is one click away, and back."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_requests import signed_in
from tests.browser.test_scale_out import accepted_request, off_the_loop
from tests.conftest import translated
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared
from tests.live_server import DaphneServer


@pytest.fixture
def server(transactional_db, tiny_models_dir):
    server = DaphneServer(
        env={"LIAISON_TRANSLATION_DIR": str(tiny_models_dir), "TRANSLATION_QUEUE": "embedded"}
    )
    server.start()
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_message_is_read_translated_with_its_original_one_click_away(
    playwright_browser,
    server,
    world,  # noqa: F811
):
    request = off_the_loop(lambda: accepted_request(world))
    url = f"{server.url}/requests/{request.pk}/"
    marie = signed_in(playwright_browser, server, "marie@paris.example")
    marie.goto(url)
    anna = signed_in(playwright_browser, server, "anna@berlin.example")
    anna.goto(url)
    anna.locator("#composer-text").fill("Ist das Diplom echt?")
    anna.locator("#composer button[type=submit]").click()

    # Marie: the French translation, in place of the German text, marked as such.
    entry = marie.locator("#thread .entry", has_text="Ist das Diplom echt?")
    expect(entry.locator(".message-body").first).to_have_text("[fr] [en] Ist das Diplom echt?")
    note = translated("fr", "Machine-translated from %(language)s") % {"language": "Allemand"}
    expect(entry.locator(".translation-note")).to_contain_text(note)
    original = entry.locator(".message-body--original")
    expect(original).to_be_hidden()
    toggle = entry.get_by_role("button", name=translated("fr", "Show original"))
    toggle.click()
    expect(original).to_be_visible()
    expect(original).to_have_text("Ist das Diplom echt?")
    entry.get_by_role("button", name=translated("fr", "Show translation")).click()
    expect(original).to_be_hidden()

    # Anna reads her own words, untranslated.
    own = anna.locator("#thread .entry", has_text="Ist das Diplom echt?")
    expect(own.locator(".message-body")).to_have_text("Ist das Diplom echt?")
    expect(own.locator(".translation-note")).to_have_count(0)
