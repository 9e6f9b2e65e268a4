"""A person's first minutes: sign in, switch to German, see the live connection."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD


def sign_in(page, server, email):
    page.goto(server.url + "/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
def test_sign_in_switch_to_german_and_go_live(page, daphne_server, make_official):
    make_official(email="lena@bund.example", full_name="Lena Vogel", language="en")
    sign_in(page, daphne_server, "lena@bund.example")

    expect(page.get_by_role("heading", level=1)).to_have_text("Workspace")
    status = page.locator("#live-status")
    expect(status).to_have_attribute("data-state", "connected")
    expect(status).to_have_text("Connected")

    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbeitsbereich")
    expect(status).to_have_attribute("data-state", "connected")
    expect(status).to_have_text("Verbunden")


@pytest.mark.django_db(transaction=True)
def test_the_live_connection_comes_back_by_itself_after_a_server_restart(
    page, daphne_server, make_official
):
    make_official(email="lena@bund.example", full_name="Lena Vogel", language="en")
    sign_in(page, daphne_server, "lena@bund.example")
    status = page.locator("#live-status")
    expect(status).to_have_attribute("data-state", "connected")

    daphne_server.stop()
    expect(status).to_have_attribute("data-state", "reconnecting")
    expect(status).to_have_text("Reconnecting…")

    daphne_server.start()
    expect(status).to_have_attribute("data-state", "connected", timeout=20_000)


@pytest.mark.django_db(transaction=True)
def test_the_keyboard_reaches_the_content_first(page, daphne_server, make_official):
    make_official(email="lena@bund.example", full_name="Lena Vogel", language="en")
    sign_in(page, daphne_server, "lena@bund.example")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_said_on_the_page(page, daphne_server, make_official):
    make_official(email="lena@bund.example", full_name="Lena Vogel", language="en")
    page.goto(daphne_server.url + "/")
    page.get_by_label("E-mail address").fill("lena@bund.example")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("lena@bund.example")
