"""Who may read and act on an information request. Services check these before they
write; selectors and the WebSocket consumer use them before they show anything."""

from enum import StrEnum

from conversations.models import InformationRequest, Participant
from directory import permissions as directory_permissions
from directory.models import Authority, Membership, Official


class Side(StrEnum):
    REQUESTER = "requester"
    RESPONDER = "responder"


# Roles that work cases; supervisors and administrators read them only.
ACTING_ROLES = ("is_handler", "is_allocator")


def _participants(request: InformationRequest) -> list[Participant]:
    # Served from the prefetch cache when the selector loaded the request.
    return list(request.participants.all())


def memberships_in(official: Official, request: InformationRequest) -> list[Membership]:
    """The official's memberships in authorities taking part in the request."""
    taking_part = {participant.authority_id for participant in _participants(request)}
    if request.status == InformationRequest.Status.DRAFT:
        taking_part = {request.requester_id}
    return [
        membership
        for membership in directory_permissions.memberships(official)
        if membership.authority_id in taking_part and membership.authority.is_active
    ]


def follows_as_coordinator(official: Official, request: InformationRequest) -> bool:
    """A coordinator following exchanges sees those of the authorities it answers for."""
    if request.status == InformationRequest.Status.DRAFT:
        return False
    authorities = [participant.authority for participant in _participants(request)]
    return any(
        directory_permissions.coordinates(membership.authority, authority)
        or membership.authority_id == authority.pk
        for membership in directory_permissions.coordinator_memberships(
            official, "follows_exchanges"
        )
        for authority in authorities
    )


def may_read(official: Official, request: InformationRequest) -> bool:
    return bool(memberships_in(official, request)) or follows_as_coordinator(official, request)


def side_of(official: Official, request: InformationRequest) -> Side | None:
    """The side the official may act for: a handler or allocator of the requesting or
    of the requested authority. None for supervisors, coordinators and everyone else."""
    for membership in memberships_in(official, request):
        if not any(getattr(membership, role) for role in ACTING_ROLES):
            continue
        if membership.authority_id == request.requester_id:
            return Side.REQUESTER
        if membership.authority_id == request.responder_id:
            return Side.RESPONDER
    return None


def may_allocate(official: Official, request: InformationRequest) -> bool:
    return any(
        membership.is_allocator and membership.authority_id == request.responder_id
        for membership in memberships_in(official, request)
    )


def writing_authority(official: Official, request: InformationRequest) -> Authority | None:
    """The authority an official speaks for in a request's thread: hers taking part."""
    own = {m.authority_id: m.authority for m in directory_permissions.memberships(official)}
    return next(
        (own[p.authority_id] for p in _participants(request) if p.authority_id in own), None
    )


def may_write(official: Official, request: InformationRequest) -> bool:
    """Messages: both sides' handlers, and the coordinators called in."""
    if side_of(official, request) is not None:
        return request.status != InformationRequest.Status.DRAFT
    called_in = {
        p.authority_id for p in _participants(request) if p.role == Participant.Role.COORDINATOR
    }
    return any(
        membership.authority_id in called_in
        for membership in directory_permissions.coordinator_memberships(
            official, "follows_exchanges"
        )
    )


def may_see_personal_data(official: Official, request: InformationRequest) -> bool:
    """The requested authority sees personal data and attachments only once it has
    accepted (need to know); the requesting authority always does."""
    if any(m.authority_id == request.requester_id for m in memberships_in(official, request)):
        return True
    if request.status not in InformationRequest.DISCLOSED:
        return False
    return may_read(official, request)


def may_see_attachments(official: Official, request: InformationRequest, authority_id: int) -> bool:
    """Attachments follow personal data: hidden from the requested authority until it
    accepts. A file sent by the official's own authority (`authority_id`, the sender of
    the message) is never hidden from it: that authority has it already."""
    if may_see_personal_data(official, request):
        return True
    return any(m.authority_id == authority_id for m in memberships_in(official, request))


# The steps each side may take in each status; the services enforce the same rules.
_REQUESTER_STEPS = {
    InformationRequest.Status.DRAFT: {"edit", "send"},
    InformationRequest.Status.SENT: {"edit", "withdraw"},
    InformationRequest.Status.ACCEPTED: {"propose_date"},
    InformationRequest.Status.CLARIFICATION: {"propose_date"},
    InformationRequest.Status.ANSWERED: {"close", "ask_for_more"},
    InformationRequest.Status.DECLINED: {"send"},
}
_RESPONDER_STEPS = {
    InformationRequest.Status.SENT: {"accept", "decline", "forward"},
    InformationRequest.Status.ACCEPTED: {"answer", "forward"},
    InformationRequest.Status.CLARIFICATION: {"answer", "forward"},
}


def available_steps(official: Official, request: InformationRequest) -> set[str]:
    """The workflow steps the official may take now, as the status panel offers them."""
    side = side_of(official, request)
    steps: set[str] = set()
    if side == Side.REQUESTER:
        steps |= _REQUESTER_STEPS.get(request.status, set())
    elif side == Side.RESPONDER:
        steps |= _RESPONDER_STEPS.get(request.status, set())
        if "answer" in steps and request.proposed_answer_by:
            steps.add("agree_date")
    if side and request.is_open:
        steps.add("call_coordinator")
    if request.is_open and may_allocate(official, request):
        steps.add("assign")
    return steps
