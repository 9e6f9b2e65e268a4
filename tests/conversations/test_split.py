"""Splitting a request: the requested authority sends the questions it cannot answer, as a
new request linked to the first, to another competent authority of its country."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from conversations import selectors
from conversations.models import (
    Attachment,
    Card,
    CaseCounter,
    InformationRequest,
    Participant,
    QuestionSet,
    RequestEvent,
)
from conversations.services import cards as card_services
from conversations.services import requests as services
from directory.models import Authority
from tests.conftest import translated
from tests.conversations.test_cards import QUESTIONS, texts

pytestmark = pytest.mark.django_db
Kind = RequestEvent.Kind
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
# The card of the cards' tests, with a file to send as well.
SPLIT_QUESTIONS = {
    **QUESTIONS,
    "questions": [
        *QUESTIONS["questions"],
        {"code": "scan", "type": "file", "text": texts("A scan of the diploma?")},
    ],
}
EVERY_QUESTION = [question["code"] for question in SPLIT_QUESTIONS["questions"]]


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def accepted(world):
    """Berlin asks Paris every question of the set; Paris has accepted."""
    QuestionSet.objects.create(code="test-diploma", version=1, data=SPLIT_QUESTIONS)
    world.procedure.question_set = "test-diploma"
    world.procedure.save()
    draft = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Diplom von Dr. Lefèvre",
        description="Ist dieses Diplom echt?",
        person_concerned="Jeanne Lefèvre, born 1980-02-03",
    )
    sent = services.send_request(official=world.anna, request=draft, responder=world.paris)
    return services.accept_request(official=world.marie, request=sent)


def save(world, card, files=None, **answers) -> Card:
    return card_services.save_answers(
        official=world.marie,
        card=card,
        answers={code.replace("_", "-"): [value] for code, value in answers.items()},
        files=files,
        revision=card.revision,
    )


def split(world, request, codes, recipient=None, official=None, **extra) -> InformationRequest:
    return services.split_request(
        official=official or world.marie,
        request=request,
        card=request.cards.get(),
        codes=codes,
        recipient=world.lyon if recipient is None else recipient,
        **extra,
    )


def test_chosen_questions_become_a_linked_request_of_the_requesting_authority(
    world, accepted, media
):
    card = save(
        world,
        accepted.cards.get(),
        files={"scan": SimpleUploadedFile("diplome.pdf", PDF)},
        authentic="no",
        doubts="Le tampon manque.",
        issuer="public",
        years="6",
        holder="Jeanne Lefèvre",
    )
    before = card.revision

    new = split(world, accepted, ["doubts", "years", "scan"], message="Lyon sait mieux.")

    # A new case, sent at once, to Lyon, on behalf of Berlin, under a number of its own.
    assert new.status == InformationRequest.Status.SENT
    assert new.number != accepted.number and new.number.startswith("REQ-")
    assert (new.requester, new.responder, new.procedure) == (
        world.berlin,
        world.lyon,
        world.procedure,
    )
    assert new.split_from == accepted and list(accepted.splits.all()) == [new]
    assert new.subject == accepted.subject
    assert new.person_concerned == accepted.person_concerned  # hidden until Lyon accepts
    origin = translated("de", "Questions split from %(number)s.") % {"number": accepted.number}
    assert new.description == f"Ist dieses Diplom echt?\n\n{origin}"  # in the request's language
    assert new.accept_by is not None and new.sent_at is not None
    assert set(new.participants.values_list("authority", "role")) == {
        (world.berlin.pk, Participant.Role.REQUESTER),
        (world.lyon.pk, Participant.Role.RESPONDER),
    }

    # The chosen questions go with what Paris had saved for them; "doubts" is asked only
    # when the diploma is not authentic, so that question goes along as a copy.
    moved = new.cards.get()
    assert moved.status == Card.Status.OPEN and moved.asked_by == "requester"
    assert moved.question_set_id == card.question_set_id
    assert moved.questions == ["authentic", "doubts", "years", "scan"]
    assert {code: moved.answers[code] for code in ("authentic", "doubts", "years")} == {
        "authentic": "no",
        "doubts": "Le tampon manque.",
        "years": "6",
    }
    copy = Attachment.objects.get(pk=moved.answers["scan"]["attachment"])
    original_file = Attachment.objects.get(pk=card.answers["scan"]["attachment"])
    assert copy.request == new and copy.event == moved.event and copy.name == "diplome.pdf"
    assert copy.file.name != original_file.file.name and copy.file.read() == PDF

    # Paris keeps the rest, with its answers; a form opened before is now out of date.
    card.refresh_from_db()
    assert card.questions == ["authentic", "issuer", "issued-on", "country", "holder"]
    assert card.answers == {"authentic": "no", "issuer": "public", "holder": "Jeanne Lefèvre"}
    assert card.revision == before + 1 and card.status == Card.Status.OPEN

    # Each thread names the other case, and who split it.
    sent_on = accepted.events.get(kind=Kind.SPLIT)
    assert (sent_on.author, sent_on.authority) == (world.marie, world.paris)
    assert sent_on.data["split"] == new.pk and sent_on.data["number"] == new.number
    assert sent_on.body == "Lyon sait mieux."
    came_from = new.events.order_by("pk").first()
    assert came_from.kind == Kind.SPLIT_FROM
    assert (came_from.author, came_from.authority) == (world.marie, world.paris)
    assert came_from.data["original"] == accepted.pk
    assert came_from.data["number"] == accepted.number
    assert list(new.events.values_list("kind", flat=True)) == [Kind.SPLIT_FROM, Kind.CARD]

    # Berlin follows both cases; Lyon sees only its own, Paris only the first.
    assert selectors.request_for(world.anna, new.pk) is not None
    assert selectors.request_for(world.lea, new.pk) is not None
    assert selectors.request_for(world.marie, new.pk) is None
    assert selectors.request_for(world.lea, accepted.pk) is None


def test_lyon_answers_the_questions_it_received_and_berlin_reads_them(world, accepted):
    new = split(world, accepted, ["years"])
    services.accept_request(official=world.lea, request=new)
    moved = new.cards.get()
    answered = card_services.save_answers(
        official=world.lea, card=moved, answers={"years": ["7"]}, revision=0, submit=True
    )
    assert answered.status == Card.Status.SUBMITTED
    assert new.events.filter(kind=Kind.CARD_ANSWERED).exists()


def test_a_question_that_goes_takes_those_asked_only_for_its_answers(world, accepted):
    new = split(world, accepted, ["authentic"])
    assert new.cards.get().questions == ["authentic", "doubts"]
    assert "doubts" not in accepted.cards.get().questions


def written(request) -> tuple:
    """Everything a split would change, to show that a refusal changed nothing."""
    card = request.cards.get()
    return (
        InformationRequest.objects.count(),
        RequestEvent.objects.count(),
        Card.objects.count(),
        Attachment.objects.count(),
        list(CaseCounter.objects.values_list("year", "last")),
        card.questions,
        card.answers,
        card.revision,
    )


@pytest.mark.parametrize(
    ("codes", "recipient", "field", "message"),
    [
        ([], None, "questions", "Choose the questions to send to the other authority."),
        (
            EVERY_QUESTION,
            None,
            "questions",
            "Every question would go: forward the request instead.",
        ),
        # Every question but those asked only when the diploma is not authentic: they go
        # with it, so everything would.
        (
            [code for code in EVERY_QUESTION if code != "doubts"],
            None,
            "questions",
            "Every question would go: forward the request instead.",
        ),
        (["years", "bogus"], None, "questions", "Choose among the questions of the list."),
        (["years"], "prague", "recipient", "Choose an authority of your own country."),
        (["years"], "paris", "recipient", "Choose an authority other than yours."),
        (
            ["years"],
            "nantes",
            "recipient",
            "This authority has no access to the policy area of this procedure.",
        ),
        (["years"], "none", "recipient", "Choose an authority from the search results."),
    ],
)
def test_a_refused_split_says_why_and_writes_nothing(
    world, accepted, codes, recipient, field, message
):
    save(world, accepted.cards.get(), issuer="public", years="6")
    nantes = Authority.objects.create(  # French, but without access to the area
        country_id="FR",
        name="Préfecture de Nantes",
        kind=Authority.Kind.COMPETENT_AUTHORITY,
        status=Authority.Status.ACTIVE,
    )
    recipients = {"prague": world.prague, "paris": world.paris, "nantes": nantes, "none": None}
    chosen = recipients.get(recipient, world.lyon)
    state = written(accepted)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.split_request(
            official=world.marie,
            request=accepted,
            card=accepted.cards.get(),
            codes=codes,
            recipient=chosen,
        )
    assert refused.value.message_dict[field] == [message]
    assert written(accepted) == state


@pytest.mark.parametrize("who", ["anna", "sophie", "lea"])
def test_only_a_handler_answering_the_card_may_split_it(world, accepted, who):
    state = written(accepted)
    with pytest.raises(PermissionDenied):
        split(world, accepted, ["years"], official=getattr(world, who))
    assert written(accepted) == state


def test_not_before_the_request_is_accepted(world, accepted):
    sent = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Noch einmal",
        description="Echt?",
    )
    sent = services.send_request(official=world.anna, request=sent, responder=world.paris)
    state = written(sent)
    with pytest.raises(ValidationError):
        split(world, sent, ["years"])
    assert written(sent) == state


def test_not_once_the_answers_are_submitted(world, accepted):
    card_services.save_answers(
        official=world.marie,
        card=accepted.cards.get(),
        answers={"authentic": ["yes"]},
        revision=0,
        submit=True,
    )
    state = written(accepted)
    with pytest.raises(PermissionDenied):
        split(world, accepted, ["years"])
    assert written(accepted) == state


def test_the_split_form_keeps_the_choices_and_says_why_when_refused(client, world, accepted):
    card = accepted.cards.get()
    url = reverse("conversations:split", args=[accepted.pk, card.pk])
    client.force_login(world.marie)
    page = client.get(reverse("conversations:request", args=[accepted.pk])).content.decode()
    assert url in page  # the form, on the card she answers
    refused = client.post(
        url, {"questions": ["years", "country"], "recipient": world.prague.pk, "message": "Merci"}
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert translated("fr", "Choose an authority of your own country.") in page
    assert 'name="questions" value="years" checked' in page
    assert 'name="questions" value="country" checked' in page
    assert 'name="questions" value="issuer" checked' not in page
    assert f'name="recipient" value="{world.prague.pk}" checked' in page
    assert ">Merci</textarea>" in page
    assert not accepted.splits.exists()

    done = client.post(url, {"questions": ["years"], "recipient": world.lyon.pk})
    assert done.status_code == 302
    new = accepted.splits.get()
    page = client.get(done.url).content.decode()
    assert new.number in page  # named in the thread and the panel
    assert reverse("conversations:request", args=[new.pk]) not in page  # not Paris's to open

    client.force_login(world.anna)  # Berlin opens either case from the other
    page = client.get(reverse("conversations:request", args=[accepted.pk])).content.decode()
    assert reverse("conversations:request", args=[new.pk]) in page
    page = client.get(reverse("conversations:request", args=[new.pk])).content.decode()
    assert reverse("conversations:request", args=[accepted.pk]) in page
    with translation.override("de"):
        assert translation.gettext("Split from") in page


def test_the_authority_search_for_a_split_offers_only_the_same_country(client, world, accepted):
    client.force_login(world.marie)
    found = client.get(
        reverse("conversations:recipients", args=[accepted.pk]),
        {"q": "médecins", "field": "recipient", "scope": "split"},
    ).content.decode()
    assert "Ordre des médecins du Rhône" in found and 'name="recipient"' in found
    assert "Česká" not in found
    found = client.get(
        reverse("conversations:recipients", args=[accepted.pk]), {"q": "komora"}
    ).content.decode()
    assert "Česká lékařská komora" in found  # a forward may go abroad
