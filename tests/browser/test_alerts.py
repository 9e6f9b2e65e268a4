"""An alert's life across three countries in the browser: a German authority writes it,
with its standard content, and sees whom it will reach; its national coordinator
validates it; the French and Czech alert coordinators see it arrive and pass it on;
officials in both countries see it arrive, read its content in their language and
acknowledge it; the sender watches the count change. All without reloading."""

import pytest
from playwright.sync_api import expect

from conversations.models import Alert, Procedure
from conversations.services.cards import current_set
from directory.models import Authority, Membership, Official, PolicyArea
from tests.browser.test_requests import PASSWORD, signed_in, step
from tests.conftest import translated
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared


@pytest.fixture
def routed(world):  # noqa: F811
    return Procedure.objects.create(
        code="pq-test-alert",
        kind=Procedure.Kind.ALERT,
        policy_area=PolicyArea.objects.get(code="professional-qualifications"),
        names={
            "en": "Alert on a professional",
            "de": "Vorwarnung",
            "fr": "Alerte",
            "cs": "Výstraha",
        },
        starters=["ca", "dc", "nc"],
        receivers=["ca"],
        routing="coordinators",
        validated=["ca"],
        question_set="pq-alert-prohibition",
    )


@pytest.fixture
def czech_coordinator(world):  # noqa: F811
    coordination = Authority.objects.create(
        country_id="CZ",
        name="Koordinace IMI",
        kind=Authority.Kind.NATIONAL_COORDINATOR,
        status=Authority.Status.ACTIVE,
        name_language="cs",
    )
    petra = Official.objects.create_user(
        "petra@koordinace.example", PASSWORD, full_name="Petra Svobodová", language="cs"
    )
    Membership.objects.create(official=petra, authority=coordination, follows_exchanges=True)
    return petra


@pytest.mark.django_db(transaction=True)
def test_an_alert_crosses_three_countries_live(
    playwright_browser,
    daphne_server,
    world,  # noqa: F811
    routed,
    czech_coordinator,
):
    anna = signed_in(playwright_browser, daphne_server, "anna@berlin.example")
    nora = signed_in(playwright_browser, daphne_server, "nora@bund.example")
    claire = signed_in(playwright_browser, daphne_server, "claire@sgae.example")
    petra = signed_in(playwright_browser, daphne_server, "petra@koordinace.example")
    marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")
    jan = signed_in(playwright_browser, daphne_server, "jan@praha.example")
    for page in (nora, claire, petra, marie, jan):
        page.goto(daphne_server.url + "/alerts/")
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")

    # Anna writes it; the count of whom it reaches follows her choices.
    anna.goto(daphne_server.url + "/alerts/new/")
    anna.locator("#id_procedure").select_option(str(routed.pk))
    anna.locator("#id_urgency").select_option("urgent")
    anna.locator("#id_subject").fill("Gefälschte Approbationsurkunden")
    anna.locator("#id_body").fill("Wir haben gefälschte Urkunden einer Ärztin entdeckt.")
    # The standard content: chosen options travel pre-translated; a question asked only
    # for some answers appears as she answers.
    content = anna.locator("#alert-content")
    expect(content.locator("[name=q-scope]").first).to_be_hidden()
    content.locator("[name=q-alert-ground][value=restriction]").check()
    expect(content.locator("[name=q-scope]").first).to_be_visible()
    content.locator("[name=q-professional-name]").fill("Dr. Jeanne Lefèvre")
    content.locator("[name=q-date-of-birth]").fill("1980-02-03")
    content.locator("[name=q-profession][value=doctor]").check()
    content.locator("[name=q-profession-title]").fill("Fachärztin für Chirurgie")
    content.locator("[name=q-deciding-authority]").fill("Landesberufsgericht für Heilberufe")
    content.locator("[name=q-decision-date]").fill("2026-11-20")
    content.locator("[name=q-scope][value=full-prohibition]").check()
    content.locator("[name=q-scope-details]").fill("Ruhen der Approbation")
    content.locator("[name=q-period-type][value=unlimited]").check()
    content.locator("[name=q-appeal-pending][value=no]").check()
    anna.locator("input[name=countries][value=FR]").check()
    expect(anna.locator("#alert-preview")).to_contain_text("2")  # Paris and Lyon
    anna.locator("input[name=countries][value=CZ]").check()
    expect(anna.locator("#alert-preview")).to_contain_text("3")
    anna.locator("button[name=send]").click()
    expect(anna.locator("#alert-status")).to_have_text(translated("de", "Awaiting validation"))
    alert = Alert.objects.get()

    # Her national coordinator hears of it at once and validates it.
    expect(nora.locator("#notices")).to_contain_text(alert.number)
    nora.locator("#notices a").last.click()
    step(nora, "validate").locator("button[type=submit]").click()
    expect(anna.locator("#alert-status")).to_have_text(translated("de", "Broadcast"))

    # The French and Czech alert coordinators see it arrive, urgent, and pass it on.
    for coordinator in (claire, petra):
        expect(coordinator.locator("#notices .urgency-mark")).to_be_visible()
        expect(coordinator.locator("#alert-list")).to_contain_text(alert.number)
        coordinator.locator("#notices a").last.click()
        step(coordinator, "disseminate").locator("button[type=submit]").click()
        expect(coordinator.locator("#alert-thread")).to_contain_text(
            translated((coordinator is claire and "fr") or "cs", "Passed on")
        )

    # Officials of both countries see it arrive and acknowledge; Anna's count follows.
    tracking = anna.locator("#alert-tracking .tracking-total")
    expect(tracking).to_have_attribute("data-reached", "3")
    expect(tracking).to_have_attribute("data-acknowledged", "0")
    schema = current_set("pq-alert-prohibition").schema
    profession = next(q for q in schema.questions if q.code == "profession")
    doctor = next(o for o in profession.options if o.code == "doctor")
    for official, done in ((marie, "1"), (jan, "2")):
        expect(official.locator("#alert-badge")).to_have_attribute("data-count", "1")
        expect(official.locator("#alert-list")).to_contain_text(alert.number)
        official.locator("#notices a").last.click()
        language = "fr" if official is marie else "cs"
        expect(official.locator("#alert-content")).to_contain_text(profession.label(language))
        expect(official.locator("#alert-content")).to_contain_text(doctor.label(language))
        step(official, "acknowledge").locator("button[type=submit]").click()
        expect(official.locator("#alert-badge")).to_have_attribute("data-count", "0")
        expect(tracking).to_have_attribute("data-acknowledged", done)

    # A comment reaches everyone's open page; the withdrawal too, with its reason.
    marie.locator("#alert-comment").fill("Nous avons vérifié nos registres.")
    marie.locator("form:has(#alert-comment) button[type=submit]").click()
    expect(anna.locator("#alert-thread")).to_contain_text("Nous avons vérifié nos registres.")
    withdraw = step(anna, "withdraw")
    withdraw.locator("button[type=submit]").click()  # no reason: refused, nothing lost
    expect(anna.locator("#alert-status")).to_have_text(translated("de", "Broadcast"))
    withdraw = step(anna, "withdraw")
    withdraw.locator("textarea").fill("Die Urkunden waren echt.")
    withdraw.locator("button[type=submit]").click()
    expect(jan.locator("#alert-status")).to_have_text(translated("cs", "Withdrawn"))
    expect(jan.locator("#alert-thread")).to_contain_text("Die Urkunden waren echt.")
