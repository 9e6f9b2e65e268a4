"""A split in real browsers: the French authority asked sends two questions it cannot
answer to another French authority; the German requester sees it happen on her open
request, finds the new case in her inbox and opens it, and the new authority's inbox
shows the case, all without reloading."""

import pytest
from playwright.sync_api import expect

from conversations.models import InformationRequest, Procedure, QuestionSet
from conversations.services import requests as services
from tests.browser.test_requests import signed_in
from tests.browser.test_scale_out import off_the_loop
from tests.conftest import build_authority, build_official, translated

AREA = "professional-qualifications"
PROCEDURE = "pq-diploma-authenticity"


def accepted_request():
    berlin = build_authority("DE", "Ärztekammer Berlin", AREA, language="de")
    paris = build_authority("FR", "Ordre des médecins", AREA, language="fr")
    lyon = build_authority("FR", "Ordre des médecins du Rhône", AREA, language="fr")
    anna = build_official("anna@berlin.example", "Anna Becker", "de", berlin, "is_handler")
    marie = build_official("marie@paris.example", "Marie Dubois", "fr", paris, "is_handler")
    build_official("lea@lyon.example", "Léa Garnier", "fr", lyon, "is_handler")
    draft = services.create_draft(
        official=anna,
        requester=berlin,
        procedure=Procedure.objects.get(code=PROCEDURE),
        subject="Diplom von Dr. Lefèvre",
        description="Ist dieses Diplom echt?",
    )
    sent = services.send_request(official=anna, request=draft, responder=paris)
    return services.accept_request(official=marie, request=sent), lyon


@pytest.mark.django_db(transaction=True)
def test_questions_split_off_reach_another_authority_and_the_requester_follows_live(
    playwright_browser, daphne_server
):
    original, lyon = off_the_loop(accepted_request)
    questions = QuestionSet.objects.get(code=original.procedure.question_set).schema
    credits, abroad = questions.question("ects-credits"), questions.question("part-abroad")
    url = f"{daphne_server.url}/requests/{original.pk}/"

    anna = signed_in(playwright_browser, daphne_server, "anna@berlin.example")
    anna.goto(url)
    expect(anna.locator(".card__answers")).to_contain_text(credits.label("de"))
    anna_inbox = signed_in(playwright_browser, daphne_server, "anna@berlin.example")
    lea_inbox = signed_in(playwright_browser, daphne_server, "lea@lyon.example")
    marie = signed_in(playwright_browser, daphne_server, "marie@paris.example")
    marie.goto(url)

    # Marie chooses two questions; without an authority the form says so, keeping them.
    split = marie.locator(".card__split")
    split.locator("summary").click()
    split.get_by_label(credits.label("fr"), exact=True).check()
    split.get_by_label(abroad.label("fr"), exact=True).check()
    split.locator("textarea[name=message]").fill("Le Rhône connaît ce cursus.")
    send = translated("fr", "Send the questions")
    split.get_by_role("button", name=send).click()
    split = marie.locator(".card__split")
    expect(split.locator("[role=alert]")).to_contain_text(
        translated("fr", "Choose an authority from the search results.")
    )
    expect(split.get_by_label(credits.label("fr"), exact=True)).to_be_checked()
    expect(split.get_by_label(abroad.label("fr"), exact=True)).to_be_checked()
    expect(split.locator("textarea[name=message]")).to_have_value("Le Rhône connaît ce cursus.")

    # Only authorities of her own country are offered.
    split.locator("input[type=search]").fill("médecins")
    split.locator(f"input[name=recipient][value='{lyon.pk}']").check()
    split.get_by_role("button", name=send).click()
    new = InformationRequest.objects.get(split_from=original)
    expect(marie.locator("#thread .entry--split")).to_contain_text(new.number)

    # Anna's open request: the questions leave her card, the thread names the new case.
    expect(anna.locator("#thread .entry--split")).to_contain_text(new.number)
    expect(anna.locator(".card__answers")).not_to_contain_text(credits.label("de"))
    expect(anna.locator(".card__answers")).to_contain_text(
        questions.question("remarks").label("de")
    )
    # Both inboxes show the new case, live.
    expect(anna_inbox.locator("#inbox tr", has_text=new.number)).to_be_visible()
    expect(lea_inbox.locator("#inbox tr", has_text=new.number)).to_be_visible()

    # Anna opens it from the thread: it names where it comes from, and asks the two
    # questions (with the one asked only when part of the training was abroad).
    anna.locator("#thread .entry--split").get_by_role("link", name=new.number).click()
    expect(anna.locator("#request-panel")).to_contain_text(original.number)
    expect(anna.locator("#thread .entry--split_from")).to_contain_text("Ordre des médecins")
    card = anna.locator(".card__answers")
    expect(card).to_contain_text(credits.label("de"))
    expect(card).to_contain_text(abroad.label("de"))
    expect(card).not_to_contain_text(questions.question("remarks").label("de"))
