"""Standard question cards: the questions of a procedure, asked with the request (the
requester chooses them while drafting) or later in the thread by either side, and
answered inline by the other side: saved as often as needed, then submitted.

Every answer is checked on the server; nothing half-valid is stored. Two officials
answering one card at once do not overwrite each other: a save must name the revision
it started from, and a save from an older one is refused with who saved meanwhile.
"""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations import events, translations
from conversations.models import Attachment, Card, InformationRequest, QuestionSet, RequestEvent
from conversations.permissions import Side, side_of
from conversations.questions import FREE_TEXT, Question, applicable
from conversations.services import attachments as attachment_services
from directory.models import Country, Official

Kind = RequestEvent.Kind
Status = InformationRequest.Status


class StaleCard(Exception):
    """The card was saved by someone else after this official's form was loaded."""

    def __init__(self, card: Card) -> None:
        self.card = card
        name = card.saved_by.full_name if card.saved_by else _("another official")
        super().__init__(
            _(
                "%(name)s saved answers to this card while you were writing. Your answers "
                "are kept below and were not saved: reload the card to see theirs, then "
                "save again."
            )
            % {"name": name}
        )


def current_set(code: str) -> QuestionSet | None:
    """The newest version of a question set."""
    return QuestionSet.objects.filter(code=code).order_by("-version").first() if code else None


def _codes(
    question_set: QuestionSet, codes: Sequence[str] | None, *, may_be_empty: bool = False
) -> list[str]:
    """The chosen questions in the set's order; all of them when none are named. A
    question asked only under a condition brings the question it depends on."""
    known = [question.code for question in question_set.schema.questions]
    if codes is None:
        return known
    unknown = set(codes) - set(known)
    if unknown:
        raise ValidationError({"questions": _("Choose among the questions of the list.")})
    chosen = set(codes)
    if not chosen and not may_be_empty:
        raise ValidationError({"questions": _("Choose at least one question.")})
    chosen = _with_conditions(question_set, chosen)
    return [code for code in known if code in chosen]


def _with_conditions(question_set: QuestionSet, codes: set[str]) -> set[str]:
    """`codes` and every question they are asked under, however deep: a question shown
    only for some answers is never asked without the question it depends on. (A
    condition is always on an earlier question: from the last one back, one pass.)"""
    chosen = set(codes)
    for question in reversed(question_set.schema.questions):
        if question.code in chosen and question.show_if:
            chosen.add(question.show_if[0])
    return chosen


def prepare(request: InformationRequest, *, asked_by: Side = Side.REQUESTER) -> Card | None:
    """The draft's card: every question of its procedure's set, until the requester
    narrows the choice. None for a procedure without a set."""
    question_set = current_set(request.procedure.question_set)
    if question_set is None:
        return None
    return Card.objects.create(
        request=request,
        question_set=question_set,
        questions=_codes(question_set, None),
        asked_by=asked_by,
    )


def choose_questions(*, request: InformationRequest, codes: Sequence[str]) -> Card | None:
    """While drafting: the requester keeps the questions she needs, or none. The caller
    (the request's editing service) has checked that she may edit the draft."""
    card = request.cards.filter(status=Card.Status.DRAFT).first()
    if card is None:
        return None
    card.questions = _codes(card.question_set, codes, may_be_empty=True)
    card.save(update_fields=["questions"])
    return card


def open_drafted(request: InformationRequest, *, official: Official, authority) -> None:
    """On sending: the draft's card appears in the thread, to be answered (a card left
    without questions is dropped)."""
    for card in request.cards.filter(status=Card.Status.DRAFT):
        if card.questions:
            _open(card, official=official, authority=authority)
        else:
            card.delete()


def _open(card: Card, *, official: Official, authority) -> Card:
    from conversations.services.requests import _record

    card.status = Card.Status.OPEN
    card.event = _record(
        card.request,
        kind=Kind.CARD,
        author=official,
        authority=authority,
        set=card.question_set.code,
        count=len(card.questions),
    )
    card.save(update_fields=["status", "event"])
    return card


@transaction.atomic
def add_card(
    *,
    official: Official,
    request: InformationRequest,
    question_set: str,
    codes: Sequence[str] | None = None,
) -> Card:
    """A follow-up: either side asks standard questions in the middle of the case."""
    from conversations.services.requests import _begin

    side = side_of(official, request)
    if side is None:
        raise PermissionDenied(_("Only a handler of either authority may ask questions."))
    request, authority = _begin(official, request, side, *InformationRequest.OPEN)
    found = current_set(question_set)
    if found is None:
        raise ValidationError({"question_set": _("Choose one of the question sets of the list.")})
    card = Card.objects.create(
        request=request, question_set=found, questions=_codes(found, codes), asked_by=side
    )
    return _open(card, official=official, authority=authority)


# --- split: questions sent on to another authority ----------------------------------------


def parted(card: Card, codes: Sequence[str]) -> tuple[list[str], list[str]]:
    """The questions that go and those that stay when the answering authority sends
    `codes` on to another one, each in the set's order. Questions asked only for some
    answers to a question that goes go with it; a question that goes without the one it
    depends on takes a copy of that one along, which both cards then ask. Something must
    stay: sending every question is forwarding the request."""
    asked = list(card.questions)
    chosen = set(codes)
    if not chosen:
        raise ValidationError(
            {"questions": _("Choose the questions to send to the other authority.")}
        )
    if not chosen <= set(asked):
        raise ValidationError({"questions": _("Choose among the questions of the list.")})
    for question in card.question_set.schema.questions:  # in order: chains follow too
        if question.show_if and question.show_if[0] in chosen and question.code in asked:
            chosen.add(question.code)
    staying = set(asked) - chosen
    if not staying:
        raise ValidationError(
            {"questions": _("Every question would go: forward the request instead.")}
        )
    leaving = _with_conditions(card.question_set, chosen)
    staying = _with_conditions(card.question_set, staying)
    return [c for c in asked if c in leaving], [c for c in asked if c in staying]


def split_off(
    card: Card,
    codes: Sequence[str],
    *,
    into: InformationRequest,
    official: Official,
    authority,
    stored: list,
) -> Card:
    """Moves the chosen questions of an open card, with the answers saved for them so
    far, to a new card of the request `into` (the same version of the set), opened in
    its thread; the card keeps the other questions and their answers. The caller (the
    split service) holds the request's and the card's locks and has checked `codes`.
    A file answered moves as a copy stored for the new request: each request keeps its
    own files. `stored`: the files stored so far, removed if the split is not written."""
    leaving, staying = parted(card, codes)
    moved = {code: value for code, value in card.answers.items() if code in leaving}
    new = Card.objects.create(
        request=into,
        question_set=card.question_set,
        questions=leaving,
        asked_by=Side.REQUESTER,
        language=card.language if moved else "",
        saved_by=card.saved_by if moved else None,
        saved_at=card.saved_at if moved else None,
    )
    _open(new, official=official, authority=authority)
    for code, value in list(moved.items()):
        if isinstance(value, dict):  # a file
            original = Attachment.objects.filter(pk=value.get("attachment")).first()
            if original is None:
                del moved[code]
                continue
            copied = attachment_services.copy_to(new.event, original, stored=stored)
            moved[code] = {"attachment": copied.pk, "name": copied.name}
    new.answers = moved
    new.save(update_fields=["answers"])
    card.questions = staying
    card.answers = {code: value for code, value in card.answers.items() if code in staying}
    card.revision += 1  # a form opened before the split is refused, not merged
    card.saved_by, card.saved_at = official, timezone.now()
    card.save(update_fields=["questions", "answers", "revision", "saved_by", "saved_at"])
    events.publish(
        [events.request_group(card.request_id)],
        {
            "kind": "card.changed",
            "request": card.request_id,
            "card": card.pk,
            "event": card.event_id,
        },
    )
    return new


def may_answer(official: Official, card: Card, request: InformationRequest | None = None) -> bool:
    """The answering side's handlers, while the card is open; the requested authority
    once it has accepted the request. `request`: the card's, when the caller has it read
    already (with its participants)."""
    request = request or card.request
    if card.status != Card.Status.OPEN or side_of(official, request) != card.answered_by:
        return False
    if card.answered_by == Side.RESPONDER:
        return request.status in (Status.ACCEPTED, Status.CLARIFICATION)
    return request.is_open


def clean_answers(
    asked: Mapping[str, Question], answers: Mapping[str, Sequence[str]]
) -> tuple[dict, dict]:
    """Each answer checked by its question's type (files aside): the cleaned values,
    and an error per question refused."""
    countries = set()
    if any(question.type == "country" for question in asked.values()):
        countries = set(Country.objects.values_list("code", flat=True))
    cleaned, errors = {}, {}
    for code, question in asked.items():
        if question.type == "file":
            continue
        try:
            value = question.clean(answers.get(code, []), countries=countries)
        except ValueError as error:
            errors[code] = str(error)
            continue
        if value is not None:
            cleaned[code] = value
    return cleaned, errors


def missing_answers(
    asked: Mapping[str, Question], answered: Mapping, errors: dict, *, submit: bool
) -> dict[str, Question]:
    """Adds an error for each question that applies and needs an answer it lacks (to
    save, or to send when `submit`); returns the questions that apply."""
    applying = applicable(list(asked.values()), dict(answered))
    shown = {code: q for code, q in asked.items() if code in applying}
    for code, question in shown.items():
        needed = question.required == "save" or (submit and question.required == "send")
        if needed and code not in answered and code not in errors:
            errors[code] = _("This question needs an answer.")
    return shown


@transaction.atomic
def save_answers(
    *,
    official: Official,
    card: Card,
    answers: Mapping[str, Sequence[str]],
    files: Mapping[str, UploadedFile] | None = None,
    revision: int,
    submit: bool = False,
) -> Card:
    """Checks every answer (`answers`: question code → raw values from the form), then
    stores them all or none. `submit`: the answers go to the other side, which needs
    every required question that applies to be answered."""
    card = (
        Card.objects.select_for_update().select_related("request", "question_set").get(pk=card.pk)
    )
    if not may_answer(official, card):
        raise PermissionDenied(_("You may not answer this card now."))
    if card.revision != revision:
        raise StaleCard(card)
    asked = {question.code: question for question in card.asked()}
    unknown = (set(answers) | set(files or {})) - set(asked)
    if unknown:
        raise ValidationError(_("These answers are to questions this card does not ask."))
    cleaned, errors = clean_answers(asked, answers)
    uploads = {}
    for code, question in asked.items():
        if question.type != "file":
            continue
        upload = (files or {}).get(code)
        if upload is not None:
            try:
                uploads[code] = attachment_services.check_files([upload])[0]
            except ValidationError as error:
                errors[code] = " ".join(error.messages)
        elif isinstance(card.answers.get(code), dict):
            cleaned[code] = card.answers[code]  # a file sent before stays
    shown = missing_answers(asked, {**cleaned, **uploads}, errors, submit=submit)
    if errors:
        raise ValidationError(errors)
    with attachment_services.removed_unless_written() as stored:
        for code, checked in uploads.items():
            if code in shown:
                (attachment,) = attachment_services.attach(
                    card.event, [checked], official=official, stored=stored
                )
                cleaned[code] = {"attachment": attachment.pk, "name": attachment.name}
        return _store(card, official, {c: v for c, v in cleaned.items() if c in shown}, submit)


def _store(card: Card, official: Official, answers: dict, submit: bool) -> Card:
    from conversations.services.requests import _record

    now = timezone.now()
    card.answers = answers
    card.revision += 1
    card.saved_by, card.saved_at, card.language = official, now, official.language
    if submit:
        card.status, card.submitted_at = Card.Status.SUBMITTED, now
    card.save()
    request = card.request
    if submit:
        authority = request.requester if card.answered_by == Side.REQUESTER else request.responder
        _record(request, kind=Kind.CARD_ANSWERED, author=official, authority=authority)
        for text in free_texts(card):
            translations.ask_for_text(request, text, card.language, event_id=card.event_id)
    events.publish(
        [events.request_group(request.pk)],
        {"kind": "card.changed", "request": request.pk, "card": card.pk, "event": card.event_id},
    )
    return card


def free_texts(card: Card) -> list[str]:
    """The answers written in the answering official's own words (machine-translated for
    readers of other languages); chosen options are pre-translated."""
    asked = {question.code: question for question in card.asked()}
    return [
        value
        for code, value in card.answers.items()
        if code in asked and asked[code].type in FREE_TEXT and isinstance(value, str)
    ]
