"""Browser tests: Playwright drives Debian's Chromium against a live Daphne process."""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.live_server import DaphneServer

CHROMIUM = "/usr/bin/chromium"
# Chromium's own calls home are refused on a closed network; these flags keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def playwright_browser():
    # Playwright's sync API keeps an event loop running in this thread while the browser
    # is open (hence module scope, and browser tests last); the ORM calls the tests make
    # between browser steps are plain synchronous calls all the same.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def mailbox(tmp_path):
    """Where the live server writes the e-mails it sends, one file each."""
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def daphne_server(transactional_db, mailbox):
    server = DaphneServer(
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mailbox),
        }
    )
    server.extra_env["LIAISON_BASE_URL"] = server.url
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(playwright_browser):
    context = playwright_browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
