"""Standard question cards: asked with the request, answered inline by the other side,
each official reading questions and chosen answers in her own language."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from conversations import cards
from conversations.models import Card, QuestionSet, RequestEvent
from conversations.questions import DATA_DIR, check
from conversations.services import cards as card_services
from conversations.services import requests as services

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def texts(text: str) -> dict[str, str]:
    return {language: f"[{language}] {text}" for language in LANGUAGES}


QUESTIONS = {
    "code": "test-diploma",
    "version": 1,
    "names": texts("Diploma check"),
    "questions": [
        {"code": "authentic", "type": "yes_no", "text": texts("Authentic?"), "required": "send"},
        {
            "code": "doubts",
            "type": "long_text",
            "text": texts("Why not?"),
            "required": "send",
            "show_if": {"question": "authentic", "in": ["no"]},
        },
        {
            "code": "issuer",
            "type": "single_choice",
            "text": texts("Issuer?"),
            "options": [
                {"code": "public", "labels": texts("Public body")},
                {"code": "private", "labels": texts("Private school")},
            ],
        },
        {"code": "issued-on", "type": "date", "text": texts("Issued on?")},
        {"code": "years", "type": "number", "text": texts("Years?"), "min": 0, "max": 70},
        {"code": "country", "type": "country", "text": texts("Country of training?")},
        {
            "code": "holder",
            "type": "short_text",
            "text": texts("Holder's name?"),
            "personal_data": True,
        },
    ],
}


@pytest.fixture
def carded(world):
    QuestionSet.objects.create(code="test-diploma", version=1, data=QUESTIONS)
    world.procedure.question_set = "test-diploma"
    world.procedure.save()
    return world


def drafted(world):
    return services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Diplom",
        description="Ist es echt?",
    )


def sent_with_card(world):
    return services.send_request(official=world.anna, request=drafted(world), responder=world.paris)


def answer(world, card, official=None, submit=False, revision=None, **answers):
    return card_services.save_answers(
        official=official or world.marie,
        card=card,
        answers={code.replace("_", "-"): [value] for code, value in answers.items()},
        revision=card.revision if revision is None else revision,
        submit=submit,
    )


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_every_shipped_question_set_is_complete_in_every_language(path: Path):
    assert check(json.loads(path.read_text(encoding="utf-8")), set(LANGUAGES)) == []


def test_a_missing_translation_is_caught():
    broken = json.loads(json.dumps(QUESTIONS))
    del broken["questions"][2]["options"][1]["labels"]["pt"]
    assert check(broken, set(LANGUAGES)) == ["question issuer option private: missing pt"]


def test_the_requester_chooses_the_questions_and_the_card_opens_when_sent(carded):
    draft = drafted(carded)
    card = draft.cards.get()
    assert card.status == Card.Status.DRAFT
    assert len(card.questions) == 7
    services.update_request(
        official=carded.anna,
        request=draft,
        subject="Diplom",
        description="Ist es echt?",
        person_concerned="",
        questions=["doubts", "years"],
    )
    card.refresh_from_db()
    assert card.questions == ["authentic", "doubts", "years"]  # "doubts" needs "authentic"
    services.send_request(official=carded.anna, request=draft, responder=carded.paris)
    card.refresh_from_db()
    assert card.status == Card.Status.OPEN
    assert card.event.kind == RequestEvent.Kind.CARD


def test_the_requested_authority_answers_once_it_has_accepted(carded):
    request = sent_with_card(carded)
    card = request.cards.get()
    with pytest.raises(PermissionDenied):
        answer(carded, card, issuer="public")
    services.accept_request(official=carded.marie, request=request)
    card = answer(carded, card, issuer="public")  # partial: saved, not sent
    assert card.answers == {"issuer": "public"} and card.status == Card.Status.OPEN
    with pytest.raises(PermissionDenied):  # the asking side does not answer its own card
        answer(carded, card, official=carded.anna, authentic="yes")
    with pytest.raises(PermissionDenied):  # a supervisor reads, does not answer
        answer(carded, card, official=carded.sophie, authentic="yes")


@pytest.mark.parametrize(
    ("answers", "question", "message"),
    [
        ({"issued_on": "31/02/2026"}, "issued-on", "Enter a date"),
        ({"issued_on": "2026-02-31"}, "issued-on", "Enter a date"),
        ({"years": "200"}, "years", "at most 70"),
        ({"years": "twelve"}, "years", "Enter a number"),
        ({"issuer": "bogus"}, "issuer", "Choose one of the options"),
        ({"authentic": "maybe"}, "authentic", "Answer yes or no"),
        ({"country": "XX"}, "country", "Choose a country"),
        ({"holder": "x" * 301}, "holder", "At most 300 characters"),
    ],
)
def test_a_bad_answer_is_refused_beside_its_question_and_nothing_is_stored(
    carded, answers, question, message
):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = answer(carded, request.cards.get(), issuer="private")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        answer(carded, card, **{"years": "12", **answers})
    assert message in refused.value.message_dict[question][0]
    card.refresh_from_db()
    assert card.answers == {"issuer": "private"} and card.revision == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("6", "6"), ("60", "60"), ("20", "20"), ("12.0", "12"), ("3,5", "3.5"), ("1e1", "10")],
)
def test_a_number_is_stored_and_shown_as_written_out(carded, typed, stored):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = answer(carded, request.cards.get(), years=typed)
    assert card.answers["years"] == stored
    shown = {q.code: q for q in cards.view(card, carded.anna, request).questions}
    assert shown["years"].display == stored


def test_a_tampered_question_is_refused(carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    with pytest.raises(ValidationError):
        answer(carded, request.cards.get(), not_asked="yes")


def test_submitting_needs_every_required_answer_that_applies(carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = request.cards.get()
    with pytest.raises(ValidationError) as refused:
        answer(carded, card, submit=True, authentic="no")
    assert set(refused.value.message_dict) == {"doubts"}  # asked because of "no"
    # "yes": the question about doubts no longer applies, and its answer is dropped.
    card = answer(carded, card, submit=True, authentic="yes", doubts="Stempel fehlt")
    assert card.status == Card.Status.SUBMITTED
    assert card.answers == {"authentic": "yes"}
    assert request.events.filter(kind=RequestEvent.Kind.CARD_ANSWERED).count() == 1


def test_two_handlers_do_not_overwrite_each_other(carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = request.cards.get()
    answer(carded, card, revision=0, issuer="public")
    with pytest.raises(card_services.StaleCard) as stale:
        answer(carded, card, official=carded.luc, revision=0, issuer="private")
    assert "Marie Dubois" in str(stale.value)
    card.refresh_from_db()
    assert card.answers == {"issuer": "public"}


def test_each_reads_questions_and_chosen_answers_in_her_language(carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = answer(
        carded, request.cards.get(), submit=True, authentic="yes", issuer="public", holder="Lefèvre"
    )
    german = {q.code: q for q in cards.view(card, carded.anna, request).questions}
    assert german["issuer"].label == "[de] Issuer?"
    assert german["issuer"].display == "[de] Public body"
    assert german["authentic"].display == "Ja"
    french = {q.code: q for q in cards.view(card, carded.marie, request).questions}
    assert french["issuer"].display == "[fr] Public body"
    assert french["authentic"].display == "Oui"


def test_personal_data_answers_stay_hidden_until_acceptance(carded):
    request = sent_with_card(carded)
    card = request.cards.get()
    card.status, card.answers = Card.Status.SUBMITTED, {"holder": "Lefèvre"}
    card.save()
    hidden = {q.code: q for q in cards.view(card, carded.marie, request).questions}
    assert hidden["holder"].hidden_personal  # Paris has not accepted yet
    shown = {q.code: q for q in cards.view(card, carded.anna, request).questions}
    assert not shown["holder"].hidden_personal


def test_a_refused_form_comes_back_with_the_errors_and_every_answer_as_typed(client, carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = request.cards.get()
    client.force_login(carded.marie)
    response = client.post(
        reverse("conversations:card", args=[request.pk, card.pk]),
        {"revision": "0", "q-years": "200", "q-holder": "Jeanne Lefèvre", "action": "save"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps it into the card
    assert 'aria-invalid="true"' in page and 'value="200"' in page
    assert 'value="Jeanne Lefèvre"' in page
    card.refresh_from_db()
    assert card.answers == {} and card.revision == 0


def test_the_card_shows_in_the_thread_as_a_form_for_its_answerer_only(client, carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    url = reverse("conversations:request", args=[request.pk])
    client.force_login(carded.marie)
    page = client.get(url).content.decode()
    assert "[fr] Diploma check" in page and 'name="q-authentic"' in page
    client.force_login(carded.anna)
    page = client.get(url).content.decode()
    assert "[de] Diploma check" in page and 'name="q-authentic"' not in page


@pytest.mark.django_db(transaction=True)
def test_submitted_answers_reach_the_asking_side_live(client, carded):
    from asgiref.sync import async_to_sync, sync_to_async

    from tests.conversations.test_live import connect, cookie, frames

    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    card = request.cards.get()
    anna_cookie = cookie(client, carded.anna)

    async def scenario():
        anna = await connect(anna_cookie)
        await anna.send_to(text_data=json.dumps({"type": "watch", "request": request.pk}))
        await frames(anna)
        await sync_to_async(answer)(carded, card, submit=True, authentic="yes", issuer="private")
        heard = await frames(anna)
        assert f'id="event-{card.event_id}" hx-swap-oob="true"' in heard
        assert "[de] Private school" in heard
        await anna.disconnect()

    async_to_sync(scenario)()


def test_the_draft_form_offers_the_questions_in_her_language(client, carded):
    draft = drafted(carded)
    client.force_login(carded.anna)
    page = client.get(reverse("conversations:request", args=[draft.pk])).content.decode()
    assert 'name="questions" value="years"' in page and "[de] Years?" in page
    response = client.post(
        reverse("conversations:edit", args=[draft.pk]),
        {"subject": "Diplom", "description": "Ist es echt?", "questions": ["issuer"]},
    )
    assert response.status_code == 302
    assert draft.cards.get().questions == ["issuer"]
    # None at all: the request goes without a card.
    client.post(
        reverse("conversations:edit", args=[draft.pk]),
        {"subject": "Diplom", "description": "Ist es echt?"},
    )
    assert draft.cards.get().questions == []
    services.send_request(official=carded.anna, request=draft, responder=carded.paris)
    assert not draft.cards.exists()
    assert not draft.events.filter(kind=RequestEvent.Kind.CARD).exists()


def test_either_side_asks_follow_up_questions_which_the_other_answers(client, carded):
    request = sent_with_card(carded)
    services.accept_request(official=carded.marie, request=request)
    client.force_login(carded.marie)
    page = client.get(reverse("conversations:request", args=[request.pk])).content.decode()
    assert reverse("conversations:ask_questions", args=[request.pk]) in page
    client.post(
        reverse("conversations:ask_questions", args=[request.pk]), {"questions": ["country"]}
    )
    follow_up = request.cards.order_by("pk").last()
    assert follow_up.asked_by == "responder" and follow_up.questions == ["country"]
    assert follow_up.event.kind == RequestEvent.Kind.CARD
    with pytest.raises(PermissionDenied):  # Paris asked: Berlin answers
        answer(carded, follow_up, country="DE")
    answered = answer(carded, follow_up, official=carded.anna, submit=True, country="DE")
    assert answered.answers == {"country": "DE"}
    # A supervisor may not ask.
    client.force_login(carded.sophie)
    client.post(
        reverse("conversations:ask_questions", args=[request.pk]), {"questions": ["country"]}
    )
    assert request.cards.count() == 2
