"""Two officials of two countries take one request from draft to closure, each seeing
the other's steps and messages appear without reloading."""

import pytest
from playwright.sync_api import expect

from conversations.models import InformationRequest
from tests.conftest import translated
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared

PASSWORD = "correct horse battery"


def signed_in(browser, server, email):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(server.url + "/sign-in/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
    return page


def step(page, name):
    form = page.locator(f"form:has(input[name=step][value={name}])")
    details = page.locator(f"details:has(input[name=step][value={name}])")
    if details.count() and details.first.get_attribute("open") is None:
        details.locator("summary").first.click()
    return form


@pytest.mark.django_db(transaction=True)
def test_two_countries_work_one_request_live(playwright_browser, daphne_server, world):  # noqa: F811
    anna = signed_in(playwright_browser, daphne_server, "anna@berlin.example")
    marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")

    # Anna drafts and sends.
    anna.goto(daphne_server.url + "/requests/new/")
    anna.locator("#id_procedure").select_option(str(world.procedure.pk))
    anna.locator("#id_subject").fill("Diplom von Dr. Lefèvre")
    anna.locator("form.form button[type=submit]").click()
    anna.locator("#id_description").fill("Ist dieses Diplom echt?")
    anna.locator("#id_person_concerned").fill("Jeanne Lefèvre, geb. 1980")
    anna.locator("form:has(#id_description) button[type=submit]").click()
    send = step(anna, "send")
    send.locator("input[type=search]").fill("médecins")
    send.locator(f"input[type=radio][value='{world.paris.pk}']").check()
    send.locator("button[type=submit]").click()
    expect(anna.locator("#request-status")).to_have_text(translated("de", "To accept"))
    number = InformationRequest.objects.get().number

    # Marie's inbox, open all along, shows it without a reload.
    row = marie.locator("#inbox tr", has_text=number)
    expect(row).to_be_visible()
    expect(marie.locator("#inbox-badge")).to_contain_text("1")
    row.get_by_role("link", name=number).click()
    expect(marie.get_by_text("Jeanne Lefèvre")).to_have_count(0)  # need to know

    # Marie accepts: Anna's page follows.
    step(marie, "accept").locator("button[type=submit]").click()
    expect(marie.get_by_text("Jeanne Lefèvre, geb. 1980")).to_be_visible()
    expect(anna.locator("#request-status")).to_have_text(
        translated("de", "Accepted, answer pending")
    )

    # They write to each other, live.
    marie.locator("#composer-text").fill("Je vérifie auprès de la faculté.")
    marie.locator("#composer button[type=submit]").click()
    expect(anna.locator("#thread")).to_contain_text("Je vérifie auprès de la faculté.")
    expect(marie.locator("#thread .entry", has_text="Je vérifie")).to_have_count(1)
    anna.locator("#thread .reply-button").last.click()
    anna.locator("#composer-text").fill("Danke!")
    anna.locator("#composer button[type=submit]").click()
    expect(marie.locator("#thread .entry--reply")).to_contain_text("Danke!")

    # Marie answers, Anna accepts the answer: both see the case closed.
    answer = step(marie, "answer")
    answer.locator("textarea").fill("Le diplôme est authentique.")
    answer.locator("button[type=submit]").click()
    expect(marie.locator("#request-status")).to_have_text(translated("fr", "Answered"))
    expect(anna.locator("#request-status")).to_have_text(translated("de", "Answered"))
    step(anna, "close").locator("button[type=submit]").click()
    expect(marie.locator("#request-status")).to_have_text(translated("fr", "Closed"))
    expect(anna.locator("#request-status")).to_have_text(translated("de", "Closed"))
