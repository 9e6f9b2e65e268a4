"""A question card in real browsers: a Polish official answers it inline (a question
appears when an answer calls for it; a number out of range is refused beside it, the other
answers kept), and a Portuguese official reads the answers in Portuguese, live."""

import pytest
from playwright.sync_api import expect

from conversations.services import requests as services
from tests.browser.test_requests import signed_in
from tests.browser.test_scale_out import off_the_loop
from tests.conftest import translated
from tests.conversations.conftest import world  # noqa: F401 - the fixture, shared
from tests.conversations.test_cards import QUESTIONS


def prepared(world):  # noqa: F811
    from conversations.models import QuestionSet

    QuestionSet.objects.create(code="test-diploma", version=1, data=QUESTIONS)
    world.procedure.question_set = "test-diploma"
    world.procedure.save()
    world.anna.language, world.marie.language = "pt", "pl"
    world.anna.save()
    world.marie.save()
    draft = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Diploma",
        description="É autêntico?",
    )
    sent = services.send_request(official=world.anna, request=draft, responder=world.paris)
    return services.accept_request(official=world.marie, request=sent)


@pytest.mark.django_db(transaction=True)
def test_a_card_answered_in_polish_is_read_in_portuguese_live(
    playwright_browser,
    daphne_server,
    world,  # noqa: F811
):
    request = off_the_loop(lambda: prepared(world))
    url = f"{daphne_server.url}/requests/{request.pk}/"
    reader = signed_in(playwright_browser, daphne_server, "anna@berlin.example")
    reader.goto(url)
    answerer = signed_in(playwright_browser, daphne_server, "marie@paris.example")
    answerer.goto(url)

    card = answerer.locator(".card__form")
    expect(card).to_contain_text("[pl] Authentic?")
    doubts = card.locator("[data-question=doubts]")
    expect(doubts).to_be_hidden()
    card.get_by_label(translated("pl", "No"), exact=True).check()
    expect(doubts).to_be_visible()  # asked because the answer is "no"
    card.get_by_label(translated("pl", "Yes"), exact=True).check()
    expect(doubts).to_be_hidden()
    card.get_by_label("[pl] Public body").check()
    card.locator("[name=q-issued-on]").fill("2016-06-30")
    card.locator("[name=q-years]").fill("200")  # more than the question allows
    card.get_by_role("button", name=translated("pl", "Submit answers")).click()
    invalid = answerer.locator(".card [data-question=years] .errorlist")
    expect(invalid).to_be_visible()
    expect(answerer.locator(".card [name=q-years]")).to_have_value("200")  # as typed
    expect(answerer.locator(".card [name=q-issued-on]")).to_have_value("2016-06-30")  # kept
    expect(answerer.locator(".card").get_by_label("[pl] Public body")).to_be_checked()
    answerer.locator(".card [name=q-years]").fill("6")
    answerer.locator(".card").get_by_role("button", name=translated("pl", "Submit answers")).click()
    expect(answerer.locator(".card__form")).to_have_count(0)  # submitted: read-only

    # Her Portuguese counterpart reads every answer in Portuguese, without reloading.
    answers = reader.locator(".card__answers")
    expect(answers).to_contain_text("[pt] Public body")
    expect(answers).to_contain_text(translated("pt", "Yes"))
    expect(answers).to_contain_text("[pt] Years?")
