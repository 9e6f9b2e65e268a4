"""A coordinator invites an authority, it registers, she approves it, and its first
official signs in: the whole path in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Authority, Membership
from tests.conftest import PASSWORD

NEW_PASSWORD = "a long and unusual passphrase"


def sign_in(page, server, email, password=PASSWORD):
    page.goto(server.url + "/sign-in/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_invite_register_approve_and_first_sign_in(
    page, playwright_browser, daphne_server, mailbox, make_official
):
    national = Authority.objects.create(
        country_id="DE",
        kind=Authority.Kind.NATIONAL_COORDINATOR,
        name="IMI-Koordinierung",
        name_language="de",
        status=Authority.Status.ACTIVE,
    )
    coordinator = make_official(
        email="nc@bund.example", full_name="Nora Koordinatorin", language="en"
    )
    Membership.objects.create(
        official=coordinator, authority=national, validates_authorities=True, grants_access=True
    )

    # The coordinator invites an authority.
    sign_in(page, daphne_server, "nc@bund.example")
    page.get_by_role("link", name="Coordination").click()
    page.get_by_text("Invite an authority").click()
    invite = page.locator("form:has(input[name=action][value=invite])")
    invite.get_by_label("Name of the authority").fill("Landesamt für Gesundheit")
    invite.get_by_label("E-mail address of its future administrator").fill("petra@lgl.example")
    invite.get_by_label("Patients' rights in cross-border healthcare").check()
    invite.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to petra@lgl.example.")).to_be_visible()

    # The invited administrator follows the link from her mail.
    mails = list(mailbox.iterdir())
    assert len(mails) == 1
    link = re.search(r"http://\S+/invitations/\S+/", mails[0].read_text()).group(0)
    petra_context = playwright_browser.new_context(locale="de-DE")
    petra_context.set_default_timeout(10_000)
    petra = petra_context.new_page()
    petra.goto(link)
    expect(petra.get_by_role("heading", level=1)).to_be_visible()
    petra.locator("#id_a-name").fill("Landesamt für Gesundheit und Lebensmittelsicherheit")
    petra.locator("#id_a-acronym").fill("LGL")
    petra.locator("#id_a-city").fill("Erlangen")
    petra.locator("#id_a-keywords").fill("Approbation\nGesundheitsberufe")
    petra.locator("#id_o-full_name").fill("Petra Huber")
    petra.locator("#id_o-language").select_option("de")
    petra.locator("#id_o-password1").fill(NEW_PASSWORD)
    petra.locator("#id_o-password2").fill(NEW_PASSWORD)
    petra.locator("form.form button[type=submit]").click()
    expect(petra.locator("html")).to_have_attribute("lang", "de")
    expect(petra.locator("#live-status")).to_have_attribute("data-state", "connected")

    # The coordinator sees it waiting and approves it.
    page.get_by_role("link", name="Coordination").click()
    pending = page.locator(".pending__item", has_text="Landesamt für Gesundheit und")
    expect(pending).to_contain_text("Awaiting approval")
    pending.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_text("is approved.")).to_be_visible()

    # Her authority is now in the directory; she signs in afresh and finds it.
    petra_context.clear_cookies()
    sign_in(petra, daphne_server, "petra@lgl.example", NEW_PASSWORD)
    petra.goto(daphne_server.url + "/directory/?q=LGL")
    expect(petra.locator(".authority-card")).to_have_count(1)
    expect(petra.locator(".authority-card")).to_contain_text("Erlangen")
    petra_context.close()
