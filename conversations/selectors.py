"""Reads of information requests shown to officials: the single gate for "an authority
sees only the conversations it takes part in", for HTTP pages and WebSocket alike."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from conversations.models import (
    Attachment,
    Card,
    InformationRequest,
    Mention,
    Participant,
    RequestEvent,
)
from conversations.permissions import may_read
from directory import permissions as directory_permissions
from directory.models import Authority, Official
from translation.models import Translation

Status = InformationRequest.Status


def _own_authorities(official: Official) -> list[int]:
    return [
        m.authority_id for m in directory_permissions.memberships(official) if m.authority.is_active
    ]


def _followed(official: Official) -> Q:
    """The participations a coordinator following exchanges may read."""
    scope = Q(pk__in=[])
    for membership in directory_permissions.coordinator_memberships(official, "follows_exchanges"):
        coordinator = membership.authority
        if coordinator.kind == Authority.Kind.NATIONAL_COORDINATOR:
            scope |= Q(authority__country_id=coordinator.country_id)
        else:
            scope |= Q(authority__coordinator_id=coordinator.pk)
    return scope


def visible_requests(official: Official) -> QuerySet[InformationRequest]:
    own = _own_authorities(official)
    taking_part = Participant.objects.filter(Q(authority_id__in=own) | _followed(official)).values(
        "request_id"
    )
    return InformationRequest.objects.filter(
        (Q(pk__in=taking_part) & ~Q(status=Status.DRAFT))
        | Q(status=Status.DRAFT, requester_id__in=own)
    )


# What permission checks read of the authorities taking part: loaded, nothing more.
_PARTICIPANTS = Prefetch(
    "participants",
    queryset=Participant.objects.select_related("authority").only(
        "id",
        "request_id",
        "authority_id",
        "role",
        "last_read_event",
        "authority__id",
        "authority__country_id",
        "authority__coordinator_id",
        "authority__kind",
        "authority__status",
    ),
)


def request_for(
    official: Official, request_id: int, *, light: bool = False
) -> InformationRequest | None:
    """One request with what its page needs, or None if the official may not read it
    (a guessed id shows nothing). `light`: only what permission checks and the thread
    need, for the hot paths (posting a message, live events)."""
    if light:
        found = InformationRequest.objects.only(
            "id", "status", "requester_id", "responder_id", "procedure_id", "number"
        ).prefetch_related(_PARTICIPANTS)
    else:
        found = InformationRequest.objects.select_related(
            "procedure__policy_area",
            "requester__country",
            "responder__country",
            "handler",
            "created_by",
        ).prefetch_related("participants__authority", "participants__last_read_by")
    request = found.filter(pk=request_id).first()
    if request is None or not may_read(official, request):
        return None
    return request


def thread(request: InformationRequest, *, after: int = 0) -> list[RequestEvent]:
    return list(
        request.events.filter(pk__gt=after)
        .select_related("author", "authority", "reply_to__author")
        .prefetch_related(_ATTACHMENTS, _CARD)
        .only(*ENTRY_FIELDS)
        .order_by("pk")
    )


def thread_entry(request: InformationRequest, event_id: int) -> RequestEvent | None:
    return thread_entry_of(request.pk, event_id)


def thread_entry_of(request_id: int, event_id: int) -> RequestEvent | None:
    """One entry of a request's thread; the caller has checked that it may be read."""
    return (
        RequestEvent.objects.select_related("author", "authority", "reply_to__author")
        .prefetch_related(_ATTACHMENTS, _CARD)
        .only(*ENTRY_FIELDS)
        .filter(pk=event_id, request_id=request_id)
        .first()
    )


def attachment_of(request: InformationRequest, attachment_id: int) -> Attachment | None:
    """One attachment of a request the caller may read, with the authority that sent it
    (who may see it depends on that); None for an id of another request."""
    return (
        Attachment.objects.select_related("event")
        .only(*ATTACHMENT_FIELDS, "file", "event__id", "event__authority_id")
        .filter(pk=attachment_id, request_id=request.pk)
        .first()
    )


# What an entry shows: its own fields, and names of its author, authority and quote.
ENTRY_FIELDS = (
    "id",
    "request_id",
    "kind",
    "body",
    "language",
    "data",
    "created_at",
    "reply_to_id",
    "author__id",
    "author__full_name",
    "authority__id",
    "authority__name",
    "reply_to__id",
    "reply_to__body",
    "reply_to__author__id",
    "reply_to__author__full_name",
)


# What the thread shows of an attachment: its name, size and type, never its content.
ATTACHMENT_FIELDS = ("id", "event_id", "request_id", "name", "content_type", "size")
_ATTACHMENTS = Prefetch(
    "attachments", queryset=Attachment.objects.only(*ATTACHMENT_FIELDS).order_by("pk")
)
# A thread's question cards with their sets: one query for all, not four per card.
_CARD = Prefetch("card", queryset=Card.objects.select_related("question_set", "saved_by"))


BUCKETS = (
    "mentioned",
    "to_accept",
    "to_answer",
    "answers",
    "waiting",
    "overdue",
    "drafts",
    "closed",
    "following",
)


@dataclass
class InboxFilters:
    bucket: str = ""
    procedure: int | None = None
    country: str = ""
    status: str = ""
    text: str = ""


def _bucket(official: Official, bucket: str) -> Q:
    own = _own_authorities(official)
    mine_asked, mine_asks = Q(responder_id__in=own), Q(requester_id__in=own)
    today = timezone.localdate()
    waiting_for_answer = [Status.ACCEPTED, Status.CLARIFICATION]
    return {
        "mentioned": Q(
            Exists(
                Mention.objects.filter(
                    event__request=OuterRef("pk"), official=official, seen_at__isnull=True
                )
            )
        ),
        "to_accept": mine_asked & Q(status=Status.SENT),
        "to_answer": mine_asked & Q(status__in=waiting_for_answer),
        "answers": mine_asks & Q(status__in=[Status.ANSWERED, Status.DECLINED]),
        "waiting": (mine_asks & Q(status__in=[Status.SENT, *waiting_for_answer]))
        | (mine_asked & Q(status=Status.ANSWERED)),
        "overdue": (mine_asked | mine_asks)
        & (
            (Q(status=Status.SENT) & Q(accept_by__lt=today))
            | (Q(status__in=waiting_for_answer) & Q(answer_by__lt=today))
        ),
        "drafts": mine_asks & Q(status=Status.DRAFT),
        "closed": ((mine_asked | mine_asks) & Q(status__in=[Status.CLOSED, Status.WITHDRAWN]))
        | (mine_asked & Q(status=Status.DECLINED)),
        "following": ~(mine_asked | mine_asks),
    }[bucket]


def _text_matches(text: str, language: str) -> Q:
    """Case numbers, subjects and messages containing the text, as written or as
    translated into the searcher's language: she finds a Czech message by a French word."""
    translated = Translation.objects.filter(
        target_language=language, status=Translation.Status.DONE, text__icontains=text
    ).values("source_text")
    return (
        Q(subject__icontains=text)
        | Q(number__icontains=text)
        | Q(subject__in=translated)
        | Exists(
            RequestEvent.objects.filter(request=OuterRef("pk")).filter(
                Q(body__icontains=text) | Q(body__in=translated)
            )
        )
    )


def inbox(official: Official, filters: InboxFilters) -> QuerySet[InformationRequest]:
    found = visible_requests(official)
    if filters.bucket in BUCKETS:
        found = found.filter(_bucket(official, filters.bucket))
    if filters.procedure:
        found = found.filter(procedure_id=filters.procedure)
    if filters.country:
        found = found.filter(
            Q(requester__country_id=filters.country) | Q(responder__country_id=filters.country)
        )
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.text.strip():
        found = found.filter(_text_matches(filters.text.strip(), official.language))
    own = _own_authorities(official)
    return (
        found.select_related("procedure", "requester__country", "responder__country")
        .annotate(
            unread=Exists(
                RequestEvent.objects.filter(
                    request=OuterRef("pk"),
                    pk__gt=Participant.objects.filter(
                        request=OuterRef(OuterRef("pk")), authority_id__in=own
                    ).values("last_read_event")[:1],
                ).exclude(authority_id__in=own)
            )
        )
        .order_by("-updated_at")
    )


ACTION_BUCKETS = ("to_accept", "to_answer", "answers", "mentioned")


def counts(official: Official) -> dict[str, int]:
    """How many requests wait for the official's authorities to act, and in how many a
    colleague mentioned her since she last looked (the header badge), in one query."""
    return visible_requests(official).aggregate(
        **{bucket: Count("pk", filter=_bucket(official, bucket)) for bucket in ACTION_BUCKETS}
    )
