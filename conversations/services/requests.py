"""The information-request workflow: draft, send, accept or decline, forward, answer,
ask for more, close; and messages in the thread. Each function checks who acts, refuses
an illegal step with a clear error, writes in one transaction, records the step in the
thread and announces it once committed."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conversations import events, translations
from conversations.mentions import find_mentions, mentionable
from conversations.models import (
    Card,
    CaseCounter,
    InformationRequest,
    Mention,
    Participant,
    Procedure,
    RequestEvent,
)
from conversations.permissions import (
    Side,
    may_allocate,
    may_write,
    side_of,
    writing_authority,
)
from conversations.services import attachments as attachment_services
from conversations.services import cards as card_services
from directory import permissions as directory_permissions
from directory.models import Authority, Membership, Official
from translation.languages import is_supported

Status = InformationRequest.Status
Kind = RequestEvent.Kind


# --- helpers -------------------------------------------------------------------------------


def _locked(request: InformationRequest) -> InformationRequest:
    """The request, re-read under a row lock: two officials acting at once are serialised,
    and the second sees the first one's step."""
    return (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("procedure", "requester", "responder")
        .get(pk=request.pk)
    )


def _require(request: InformationRequest, *allowed: str) -> None:
    if request.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the request is “%(status)s”.")
            % {"status": request.get_status_display()}
        )


def _require_side(official: Official, request: InformationRequest, side: Side) -> Authority:
    if side_of(official, request) != side:
        if side == Side.REQUESTER:
            raise PermissionDenied(_("Only a handler of the requesting authority may do this."))
        raise PermissionDenied(_("Only a handler of the requested authority may do this."))
    return request.requester if side == Side.REQUESTER else request.responder


def _begin(
    official: Official, request: InformationRequest, side: Side, *allowed: str
) -> tuple[InformationRequest, Authority]:
    """Every step starts alike: the request re-read under its lock, the official acting
    for the given side, the request in one of the `allowed` statuses."""
    request = _locked(request)
    authority = _require_side(official, request, side)
    _require(request, *allowed)
    return request, authority


def _record(
    request: InformationRequest,
    *,
    kind: str,
    author: Official,
    authority: Authority,
    body: str = "",
    language: str = "",
    reply_to: RequestEvent | None = None,
    **data,
) -> RequestEvent:
    """One thread entry, announced once committed; its text, if any, is queued for
    translation into the language of every reader (the author's own, unless she said
    she wrote in another)."""
    event = RequestEvent.objects.create(
        request=request,
        kind=kind,
        author=author,
        authority=authority,
        body=body,
        language=(language or author.language) if body else "",
        reply_to=reply_to,
        data=data,
    )
    InformationRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
    translations.ask_for_entry(request, event)
    _announce(request, event)
    return event


def _announce(request: InformationRequest, event: RequestEvent) -> None:
    """The request's open pages get the new entry; the pages of every authority taking
    part, their inbox and badge."""
    if request.status == Status.DRAFT:
        authorities = [request.requester_id]
    else:
        authorities = [p.authority_id for p in request.participants.all()]
    # A workflow step may change who may see what and what each side may do; a message
    # changes neither: consumers do the heavier work for steps only.
    step = event.kind != Kind.MESSAGE
    events.publish(
        [events.request_group(request.pk)],
        {"kind": "request.event", "request": request.pk, "event": event.pk, "step": step},
    )
    events.publish(
        [events.authority_group(authority) for authority in authorities],
        {"kind": "inbox.changed", "request": request.pk, "step": step},
    )


def _clean_text(text: str, *, field: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > InformationRequest.TEXT_MAX:
        raise ValidationError(
            {
                field: _("At most %(limit)s characters; this text has %(length)s.")
                % {"limit": f"{InformationRequest.TEXT_MAX:,}", "length": f"{len(text):,}"}
            }
        )
    return text


def _next_number(year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    CaseCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"REQ-{year}-{counter.last:06d}"


def _may_receive(procedure: Procedure, authority: Authority) -> bool:
    return (
        authority.is_active
        and authority.kind in procedure.receivers
        and authority.policy_areas.filter(pk=procedure.policy_area_id).exists()
    )


# --- drafting and sending --------------------------------------------------------------------


def _requester_membership(official: Official, authority: Authority) -> Membership:
    for membership in directory_permissions.memberships(official):
        if membership.authority_id == authority.pk and (
            membership.is_handler or membership.is_allocator
        ):
            return membership
    raise PermissionDenied(_("Only a handler of your authority may write requests for it."))


@transaction.atomic
def create_draft(
    *,
    official: Official,
    requester: Authority,
    procedure: Procedure,
    subject: str,
    description: str = "",
    person_concerned: str = "",
    responder: Authority | None = None,
) -> InformationRequest:
    """Saving needs a procedure and a subject; sending needs the rest."""
    _requester_membership(official, requester)
    if not requester.is_active:
        raise PermissionDenied(_("Your authority must be approved before it sends requests."))
    if procedure.kind != Procedure.Kind.REQUEST or not procedure.is_active:
        raise ValidationError({"procedure": _("Choose an information-request procedure.")})
    if (
        requester.kind not in procedure.starters
        or not requester.policy_areas.filter(pk=procedure.policy_area_id).exists()
    ):
        raise ValidationError({"procedure": _("Your authority has no access to this procedure.")})
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Give the request a subject.")})
    request = InformationRequest.objects.create(
        number=_next_number(timezone.localdate().year),
        procedure=procedure,
        requester=requester,
        responder=responder,
        subject=subject[: InformationRequest.SUBJECT_MAX],
        description=_clean_text(description, field="description", required=False),
        person_concerned=(person_concerned or "").strip(),
        language=official.language,
        created_by=official,
    )
    Participant.objects.create(
        request=request, authority=requester, role=Participant.Role.REQUESTER
    )
    _record(request, kind=Kind.CREATED, author=official, authority=requester)
    card_services.prepare(request)
    return request


@transaction.atomic
def update_request(
    *,
    official: Official,
    request: InformationRequest,
    subject: str,
    description: str,
    person_concerned: str,
    responder: Authority | None = None,
    questions: Sequence[str] | None = None,
) -> InformationRequest:
    """The requester edits a draft, or modifies a sent request until it is accepted.
    `questions`: the standard questions the draft's card keeps (codes of its set)."""
    request, authority = _begin(official, request, Side.REQUESTER, Status.DRAFT, Status.SENT)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Give the request a subject.")})
    changed = [
        field
        for field, value in (
            ("subject", subject),
            ("description", description),
            ("person_concerned", person_concerned),
        )
        if getattr(request, field) != (value or "").strip()
    ]
    request.subject = subject[: InformationRequest.SUBJECT_MAX]
    request.description = _clean_text(description, field="description", required=False)
    request.person_concerned = (person_concerned or "").strip()
    if request.status == Status.DRAFT:
        request.responder = responder
        if questions is not None:
            card_services.choose_questions(request=request, codes=questions)
    request.save()
    if request.status == Status.SENT and changed:
        _record(request, kind=Kind.MODIFIED, author=official, authority=authority, fields=changed)
        translations.ask_for_request(request)
    return request


@transaction.atomic
def send_request(
    *, official: Official, request: InformationRequest, responder: Authority | None = None
) -> InformationRequest:
    """Sends a draft, or a declined request to another authority: the case keeps its
    number."""
    request, authority = _begin(official, request, Side.REQUESTER, Status.DRAFT, Status.DECLINED)
    responder = responder or request.responder
    errors = {}
    if responder is None:
        errors["responder"] = _("Choose the authority to ask.")
    elif responder.pk == authority.pk:
        errors["responder"] = _("An authority cannot ask itself.")
    elif not _may_receive(request.procedure, responder):
        errors["responder"] = _(
            "This authority has no access to the policy area of this procedure."
        )
    if not request.description.strip():
        errors["description"] = _("Write the request before sending it.")
    if errors:
        raise ValidationError(errors)
    previous = request.responder_id if request.status == Status.DECLINED else None
    now = timezone.now()
    request.responder = responder
    request.status = Status.SENT
    request.sent_at = now
    request.accept_by = timezone.localdate() + timedelta(days=request.procedure.accept_days)
    request.accepted_at = request.answer_by = request.proposed_answer_by = None
    request.handler = None
    request.save()
    if previous:
        Participant.objects.filter(request=request, authority_id=previous).update(
            role=Participant.Role.FORMER
        )
    Participant.objects.update_or_create(
        request=request, authority=responder, defaults={"role": Participant.Role.RESPONDER}
    )
    _record(
        request,
        kind=Kind.SENT,
        author=official,
        authority=authority,
        to=responder.pk,
        accept_by=request.accept_by.isoformat(),
    )
    card_services.open_drafted(request, official=official, authority=authority)
    translations.ask_for_request(request)
    return request


@transaction.atomic
def withdraw_request(
    *, official: Official, request: InformationRequest, reason: str
) -> InformationRequest:
    request, authority = _begin(official, request, Side.REQUESTER, Status.SENT)
    reason = _clean_text(reason, field="reason", required=True)
    request.status = Status.WITHDRAWN
    request.closed_at = timezone.now()
    request.save()
    _record(request, kind=Kind.WITHDRAWN, author=official, authority=authority, body=reason)
    return request


# --- the requested authority ---------------------------------------------------------------


@transaction.atomic
def accept_request(
    *, official: Official, request: InformationRequest, answer_by: date | None = None
) -> InformationRequest:
    request, authority = _begin(official, request, Side.RESPONDER, Status.SENT)
    today = timezone.localdate()
    answer_by = answer_by or today + timedelta(days=request.procedure.answer_days)
    if answer_by < today:
        raise ValidationError({"answer_by": _("The answer date cannot be in the past.")})
    request.status = Status.ACCEPTED
    request.accepted_at = timezone.now()
    request.answer_by = answer_by
    if request.handler is None:
        request.handler = official
    request.save()
    _record(
        request,
        kind=Kind.ACCEPTED,
        author=official,
        authority=authority,
        answer_by=answer_by.isoformat(),
    )
    return request


@transaction.atomic
def decline_request(
    *, official: Official, request: InformationRequest, reason: str
) -> InformationRequest:
    """Not competent: the requester may then send the case to another authority."""
    request, authority = _begin(official, request, Side.RESPONDER, Status.SENT)
    reason = _clean_text(reason, field="reason", required=True)
    request.status = Status.DECLINED
    request.save()
    _record(request, kind=Kind.DECLINED, author=official, authority=authority, body=reason)
    return request


@transaction.atomic
def forward_request(
    *, official: Official, request: InformationRequest, to: Authority, reason: str = ""
) -> InformationRequest:
    """The requested authority passes the case on, before or after accepting it; the new
    authority must accept it again, and sees personal data only then."""
    request, authority = _begin(
        official, request, Side.RESPONDER, Status.SENT, Status.ACCEPTED, Status.CLARIFICATION
    )
    if to.pk in (request.requester_id, authority.pk):
        raise ValidationError({"to": _("Forward the request to another authority.")})
    if not _may_receive(request.procedure, to):
        raise ValidationError(
            {"to": _("This authority has no access to the policy area of this procedure.")}
        )
    request.responder = to
    request.status = Status.SENT
    request.accept_by = timezone.localdate() + timedelta(days=request.procedure.accept_days)
    request.accepted_at = request.answer_by = request.proposed_answer_by = None
    request.handler = None
    request.save()
    Participant.objects.filter(request=request, authority=authority).update(
        role=Participant.Role.FORMER
    )
    Participant.objects.update_or_create(
        request=request, authority=to, defaults={"role": Participant.Role.RESPONDER}
    )
    _record(
        request,
        kind=Kind.FORWARDED,
        author=official,
        authority=authority,
        body=(reason or "").strip(),
        to=to.pk,
    )
    translations.ask_for_request(request)  # the new authority's languages
    return request


def split_request(
    *,
    official: Official,
    request: InformationRequest,
    card: Card,
    codes: Sequence[str],
    recipient: Authority | None,
    message: str = "",
) -> InformationRequest:
    """The requested authority can answer only some of a card's questions: the others
    (`codes`) go, as a new request sent at once, to another competent authority of its
    country. The new request is the requesting authority's own, so the answers reach
    whoever asked; each thread names the other case. Returns the new request."""
    with attachment_services.removed_unless_written() as stored:
        return _split(
            official=official,
            request=request,
            card=card,
            codes=codes,
            recipient=recipient,
            message=message,
            stored=stored,
        )


@transaction.atomic
def _split(
    *,
    official: Official,
    request: InformationRequest,
    card: Card,
    codes: Sequence[str],
    recipient: Authority | None,
    message: str,
    stored: list,
) -> InformationRequest:
    request, authority = _begin(
        official, request, Side.RESPONDER, Status.ACCEPTED, Status.CLARIFICATION
    )
    # Locked after the request, as every step does: saving answers locks only the card.
    card = (
        Card.objects.select_for_update(of=("self",))
        .select_related("question_set", "saved_by")
        .filter(pk=card.pk, request=request)
        .first()
    )
    if card is None or not card_services.may_answer(official, card, request):
        raise PermissionDenied(_("You may not answer this card now."))
    errors: dict[str, list[str]] = {}
    try:
        card_services.parted(card, codes)
    except ValidationError as error:
        errors.update(error.message_dict)
    if recipient is None:
        errors["recipient"] = [_("Choose an authority from the search results.")]
    elif recipient.pk == authority.pk:
        errors["recipient"] = [_("Choose an authority other than yours.")]
    elif recipient.country_id != authority.country_id:
        errors["recipient"] = [_("Choose an authority of your own country.")]
    elif recipient.pk == request.requester_id:  # it would be asking itself
        errors["recipient"] = [_("An authority cannot ask itself.")]
    elif not _may_receive(request.procedure, recipient):
        errors["recipient"] = [
            _("This authority has no access to the policy area of this procedure.")
        ]
    try:
        message = _clean_text(message, field="message", required=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    today = timezone.localdate()
    # The request's text stays in the language it was written in; so does the line
    # naming where it comes from.
    with translation.override(request.language):
        origin = _("Questions split from %(number)s.") % {"number": request.number}
    split = InformationRequest.objects.create(
        number=_next_number(today.year),
        procedure=request.procedure,
        requester=request.requester,
        responder=recipient,
        status=Status.SENT,
        subject=request.subject,
        description="\n\n".join(text for text in (request.description, origin) if text),
        person_concerned=request.person_concerned,
        language=request.language,
        created_by=official,
        sent_at=timezone.now(),
        accept_by=today + timedelta(days=request.procedure.accept_days),
        split_from=request,
    )
    Participant.objects.bulk_create(
        [
            Participant(
                request=split, authority=request.requester, role=Participant.Role.REQUESTER
            ),
            Participant(request=split, authority=recipient, role=Participant.Role.RESPONDER),
        ]
    )
    _record(
        split,
        kind=Kind.SPLIT_FROM,
        author=official,
        authority=authority,
        body=message,
        original=request.pk,
        number=request.number,
        to=recipient.pk,
        accept_by=split.accept_by.isoformat(),
    )
    moved = card_services.split_off(
        card, codes, into=split, official=official, authority=authority, stored=stored
    )
    _record(
        request,
        kind=Kind.SPLIT,
        author=official,
        authority=authority,
        body=message,
        split=split.pk,
        number=split.number,
        to=recipient.pk,
        to_name=recipient.name,
        questions=moved.questions,
    )
    translations.ask_for_request(split)
    return split


@transaction.atomic
def assign_handler(
    *, official: Official, request: InformationRequest, handler: Official
) -> InformationRequest:
    request = _locked(request)
    if not may_allocate(official, request):
        raise PermissionDenied(_("Only an allocator of the requested authority may assign it."))
    if not Membership.objects.filter(
        official=handler, authority_id=request.responder_id, is_active=True, is_handler=True
    ).exists():
        raise ValidationError({"handler": _("Choose a request handler of your authority.")})
    request.handler = handler
    request.save()
    _record(
        request,
        kind=Kind.ASSIGNED,
        author=official,
        authority=request.responder,
        handler=handler.pk,
        handler_name=handler.full_name,
    )
    return request


@transaction.atomic
def propose_answer_date(
    *, official: Official, request: InformationRequest, answer_by: date
) -> InformationRequest:
    """The requester proposes another answer date; the requested authority agrees."""
    request, authority = _begin(
        official, request, Side.REQUESTER, Status.ACCEPTED, Status.CLARIFICATION
    )
    if answer_by < timezone.localdate():
        raise ValidationError({"answer_by": _("The answer date cannot be in the past.")})
    request.proposed_answer_by = answer_by
    request.save()
    _record(
        request,
        kind=Kind.DATE_PROPOSED,
        author=official,
        authority=authority,
        answer_by=answer_by.isoformat(),
    )
    return request


@transaction.atomic
def agree_answer_date(*, official: Official, request: InformationRequest) -> InformationRequest:
    request, authority = _begin(
        official, request, Side.RESPONDER, Status.ACCEPTED, Status.CLARIFICATION
    )
    if request.proposed_answer_by is None:
        raise ValidationError(_("No other answer date has been proposed."))
    request.answer_by, request.proposed_answer_by = request.proposed_answer_by, None
    request.save()
    _record(
        request,
        kind=Kind.DATE_AGREED,
        author=official,
        authority=authority,
        answer_by=request.answer_by.isoformat(),
    )
    return request


@transaction.atomic
def answer_request(
    *, official: Official, request: InformationRequest, text: str
) -> InformationRequest:
    request, authority = _begin(
        official, request, Side.RESPONDER, Status.ACCEPTED, Status.CLARIFICATION
    )
    text = _clean_text(text, field="text", required=True)
    request.status = Status.ANSWERED
    request.answered_at = timezone.now()
    request.save()
    _record(request, kind=Kind.ANSWERED, author=official, authority=authority, body=text)
    return request


# --- the requesting authority again ----------------------------------------------------------


@transaction.atomic
def ask_for_more(
    *, official: Official, request: InformationRequest, text: str
) -> InformationRequest:
    """The answer is not enough: the requested authority answers again."""
    request, authority = _begin(official, request, Side.REQUESTER, Status.ANSWERED)
    text = _clean_text(text, field="text", required=True)
    request.status = Status.CLARIFICATION
    request.save()
    _record(request, kind=Kind.CLARIFICATION, author=official, authority=authority, body=text)
    return request


@transaction.atomic
def close_request(*, official: Official, request: InformationRequest) -> InformationRequest:
    """The requester accepts the answer; the case is closed."""
    request, authority = _begin(official, request, Side.REQUESTER, Status.ANSWERED)
    request.status = Status.CLOSED
    request.closed_at = timezone.now()
    request.save()
    _record(request, kind=Kind.CLOSED, author=official, authority=authority)
    return request


@transaction.atomic
def call_in_coordinator(
    *, official: Official, request: InformationRequest, reason: str
) -> InformationRequest:
    """On disagreement or delay, either side brings in its coordinator, who then follows
    the case and may write in it."""
    request = _locked(request)
    side = side_of(official, request)
    if side is None:
        raise PermissionDenied(_("Only a handler of either authority may do this."))
    _require(request, *InformationRequest.OPEN)
    reason = _clean_text(reason, field="reason", required=True)
    own = request.requester if side == Side.REQUESTER else request.responder
    coordinator = (
        own.coordinator
        or Authority.objects.filter(
            country_id=own.country_id,
            kind=Authority.Kind.NATIONAL_COORDINATOR,
            status=Authority.Status.ACTIVE,
        ).first()
    )
    if coordinator is None:
        raise ValidationError(_("Your authority has no coordinator to call in."))
    Participant.objects.get_or_create(
        request=request,
        authority=coordinator,
        defaults={"role": Participant.Role.COORDINATOR},
    )
    _record(
        request,
        kind=Kind.COORDINATOR,
        author=official,
        authority=own,
        body=reason,
        coordinator=coordinator.pk,
    )
    return request


# --- the thread ------------------------------------------------------------------------------


def post_message(
    *,
    official: Official,
    request: InformationRequest,
    text: str = "",
    reply_to: RequestEvent | None = None,
    attachments: Sequence[UploadedFile] = (),
    language: str = "",
) -> RequestEvent:
    """A message: text, attached files, or both. Every file is checked before anything is
    written; files stored for a message that then fails to be written are deleted.
    `language`: the language the text is written in, when it is not the author's."""
    if not may_write(official, request):
        raise PermissionDenied(_("You may read this request but not write in it."))
    if request.status in (Status.WITHDRAWN,):
        raise ValidationError(_("This request was withdrawn; its thread is closed."))
    text, files = _checked_message(text, attachments)
    if reply_to is not None and reply_to.request_id != request.pk:
        raise ValidationError({"reply_to": _("You can only reply to a message of this thread.")})
    if language and not is_supported(language):
        raise ValidationError({"language": _("Choose one of the languages in the list.")})
    with attachment_services.removed_unless_written() as stored:
        return _write_message(
            official=official,
            request=request,
            text=text,
            language=language,
            reply_to=reply_to,
            files=files,
            stored=stored,
        )


def _checked_message(
    text: str, attachments: Sequence[UploadedFile]
) -> tuple[str, list[attachment_services.CheckedFile]]:
    """The text and the files, each checked, every refusal told at once: the official
    corrects everything in one go."""
    errors: dict[str, list[str]] = {}
    try:
        text = _clean_text(text, field="text", required=not attachments)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        files = attachment_services.check_files(attachments)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return text, files


@transaction.atomic
def _write_message(
    *,
    official: Official,
    request: InformationRequest,
    text: str,
    language: str,
    reply_to: RequestEvent | None,
    files: list[attachment_services.CheckedFile],
    stored: list,
) -> RequestEvent:
    # She writes for the authority through which she takes part (may_write checked one).
    authority = writing_authority(official, request)
    named = find_mentions(text, mentionable(authority, writer=official)) if "@" in text else []
    mentioned = [{"id": person.pk, "name": person.full_name} for person in named]
    event = _record(
        request,
        kind=Kind.MESSAGE,
        author=official,
        authority=authority,
        body=text,
        language=language,
        reply_to=reply_to,
        **({"mentions": mentioned} if mentioned else {}),
    )
    attachment_services.attach(event, files, official=official, stored=stored)
    if named:
        Mention.objects.bulk_create([Mention(event=event, official=person) for person in named])
        events.publish(
            [events.official_group(person.pk) for person in named],
            {"kind": "mention", "request": request.pk, "event": event.pk},
        )
    return event


@transaction.atomic
def mark_read(*, official: Official, request: InformationRequest, up_to: int) -> bool:
    """The official's authority has read the thread up to event `up_to`; the other side
    sees "read by … at …". Returns whether anything changed."""
    authority_ids = {m.authority_id for m in directory_permissions.memberships(official)}
    changed = Participant.objects.filter(
        request=request, authority_id__in=authority_ids, last_read_event__lt=up_to
    ).update(last_read_event=up_to, last_read_at=timezone.now(), last_read_by=official)
    if changed:
        events.publish(
            [events.request_group(request.pk), *[events.authority_group(a) for a in authority_ids]],
            {"kind": "request.read", "request": request.pk},
        )
    # Her own mentions up to there are seen, whether or not her authority had read them.
    seen = Mention.objects.filter(
        official=official, event__request=request, event_id__lte=up_to, seen_at__isnull=True
    ).update(seen_at=timezone.now())
    if seen:
        events.publish(
            [events.official_group(official.pk)], {"kind": "mentions.seen", "request": request.pk}
        )
    return bool(changed or seen)
