"""The information-request workflow, step by step, and every refusal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conversations.models import InformationRequest, Participant, RequestEvent
from conversations.services import requests as services

pytestmark = pytest.mark.django_db
Status = InformationRequest.Status
Kind = RequestEvent.Kind


def kinds(request) -> list[str]:
    return list(request.events.order_by("pk").values_list("kind", flat=True))


def test_from_draft_to_closure_under_one_case_number(world):
    draft = services.create_draft(
        official=world.anna, requester=world.berlin, procedure=world.procedure, subject="Diplom"
    )
    number = draft.number
    assert number.startswith(f"REQ-{timezone.localdate().year}-")
    with pytest.raises(ValidationError) as refused:
        services.send_request(official=world.anna, request=draft, responder=world.paris)
    assert "description" in refused.value.message_dict  # needed to send, not to save

    services.update_request(
        official=world.anna,
        request=draft,
        subject="Diplom",
        description="Ist es echt?",
        person_concerned="J. L.",
    )
    request = services.send_request(official=world.anna, request=draft, responder=world.paris)
    assert request.status == Status.SENT
    assert request.accept_by == timezone.localdate() + timedelta(days=7)

    answer_by = timezone.localdate() + timedelta(days=10)
    request = services.accept_request(official=world.marie, request=request, answer_by=answer_by)
    assert (request.status, request.answer_by, request.handler) == (
        Status.ACCEPTED,
        answer_by,
        world.marie,
    )
    later = answer_by + timedelta(days=5)
    services.propose_answer_date(official=world.anna, request=request, answer_by=later)
    request = services.agree_answer_date(official=world.marie, request=request)
    assert request.answer_by == later

    services.answer_request(official=world.marie, request=request, text="Oui, authentique.")
    services.ask_for_more(official=world.anna, request=request, text="Und die Note?")
    services.answer_request(official=world.marie, request=request, text="Mention très bien.")
    request = services.close_request(official=world.anna, request=request)
    assert request.status == Status.CLOSED
    assert request.number == number
    assert kinds(request) == [
        Kind.CREATED,
        Kind.SENT,
        Kind.ACCEPTED,
        Kind.DATE_PROPOSED,
        Kind.DATE_AGREED,
        Kind.ANSWERED,
        Kind.CLARIFICATION,
        Kind.ANSWERED,
        Kind.CLOSED,
    ]


def test_case_numbers_are_unique_and_consecutive(world):
    numbers = [
        services.create_draft(
            official=world.anna,
            requester=world.berlin,
            procedure=world.procedure,
            subject=f"Fall {n}",
        ).number
        for n in range(3)
    ]
    tails = [int(number.rsplit("-", 1)[1]) for number in numbers]
    assert tails == [tails[0], tails[0] + 1, tails[0] + 2]


@pytest.mark.parametrize(
    ("step", "who"),
    [
        (lambda w, r: services.accept_request(official=w.anna, request=r), "requester accepts"),
        (lambda w, r: services.close_request(official=w.anna, request=r), "close unanswered"),
        (
            lambda w, r: services.answer_request(official=w.marie, request=r, text="x"),
            "answer before accepting",
        ),
        (
            lambda w, r: services.send_request(official=w.anna, request=r, responder=w.lyon),
            "send twice",
        ),
        (
            lambda w, r: services.ask_for_more(official=w.anna, request=r, text="x"),
            "clarify before an answer",
        ),
    ],
)
def test_an_illegal_step_is_refused_and_changes_nothing(world, sent, step, who):
    with pytest.raises((ValidationError, PermissionDenied)):
        step(world, sent)
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    assert kinds(sent) == [Kind.CREATED, Kind.SENT]


def test_supervisors_and_strangers_cannot_act(world, sent):
    for official in (world.sophie, world.jan, world.claire):
        with pytest.raises(PermissionDenied):
            services.accept_request(official=official, request=sent)
        with pytest.raises(PermissionDenied):
            services.post_message(official=official, request=sent, text="Hallo")


def test_decline_then_send_elsewhere_keeps_the_number(world, sent):
    with pytest.raises(ValidationError):
        services.decline_request(official=world.marie, request=sent, reason="  ")
    declined = services.decline_request(
        official=world.marie, request=sent, reason="Nicht zuständig."
    )
    assert declined.status == Status.DECLINED
    again = services.send_request(official=world.anna, request=declined, responder=world.lyon)
    assert (again.status, again.responder, again.number) == (Status.SENT, world.lyon, sent.number)
    roles = dict(again.participants.values_list("authority__name", "role"))
    assert roles["Ordre des médecins"] == Participant.Role.FORMER


def test_forwarding_after_acceptance_hides_personal_data_again(world, sent):
    from conversations.permissions import may_see_personal_data

    accepted = services.accept_request(official=world.marie, request=sent)
    assert may_see_personal_data(world.marie, accepted)
    forwarded = services.forward_request(
        official=world.marie, request=accepted, to=world.lyon, reason="Zuständig ist Lyon."
    )
    assert forwarded.status == Status.SENT
    assert not may_see_personal_data(world.lea, forwarded)
    services.accept_request(official=world.lea, request=forwarded)
    forwarded.refresh_from_db()
    assert may_see_personal_data(world.lea, forwarded)
    with pytest.raises(PermissionDenied):  # Paris handed it on; it no longer acts
        services.answer_request(official=world.marie, request=forwarded, text="x")


def test_only_the_requester_modifies_or_withdraws_before_acceptance(world, sent):
    services.update_request(
        official=world.anna,
        request=sent,
        subject="Neuer Betreff",
        description=sent.description,
        person_concerned="J. L.",
    )
    with pytest.raises(PermissionDenied):
        services.withdraw_request(official=world.marie, request=sent, reason="x")
    accepted = services.accept_request(official=world.marie, request=sent)
    with pytest.raises(ValidationError):
        services.withdraw_request(official=world.anna, request=accepted, reason="Zu spät")
    assert Kind.MODIFIED in kinds(accepted)


def test_an_allocator_assigns_a_handler_of_the_requested_authority(world, sent):
    with pytest.raises(PermissionDenied):
        services.assign_handler(official=world.marie, request=sent, handler=world.luc)
    with pytest.raises(ValidationError):
        services.assign_handler(official=world.paul, request=sent, handler=world.lea)
    assigned = services.assign_handler(official=world.paul, request=sent, handler=world.luc)
    assert assigned.handler == world.luc


def test_messages_are_refused_empty_or_too_long(world, sent):
    for text in ("", "   \n ", "x" * (InformationRequest.TEXT_MAX + 1)):
        with pytest.raises(ValidationError):
            services.post_message(official=world.anna, request=sent, text=text)
    message = services.post_message(official=world.marie, request=sent, text="Bonjour")
    reply = services.post_message(
        official=world.anna, request=sent, text="Guten Tag", reply_to=message
    )
    assert reply.reply_to == message
    assert (message.language, reply.language) == ("fr", "de")


def test_a_called_in_coordinator_follows_and_may_write(world, sent):
    with pytest.raises(PermissionDenied):
        services.post_message(official=world.nora, request=sent, text="Ich schaue es mir an.")
    services.call_in_coordinator(
        official=world.anna, request=sent, reason="Keine Reaktion seit zwei Wochen."
    )
    message = services.post_message(official=world.nora, request=sent, text="Ich kümmere mich.")
    assert message.authority == world.de_nc
