"""The status panel of a request: what it shows one official, and the steps she may
take. Rendered by the request page and, live, by her socket's consumer."""

from django.db.models import Q
from django.utils import translation

from conversations import forms
from conversations.models import InformationRequest
from conversations.permissions import available_steps, may_see_personal_data, may_write, side_of
from conversations.selectors import visible_requests
from conversations.services.cards import current_set
from directory.models import Membership


def draft_card(info: InformationRequest):
    """The card a draft will ask with, while the requester may still choose its questions."""
    if info.status != InformationRequest.Status.DRAFT:
        return None
    return info.cards.select_related("question_set").filter(status="draft").first()


def follow_up_questions(info: InformationRequest, official) -> list:
    """The questions either side may ask in a follow-up card, in her language."""
    if not info.is_open or side_of(official, info) is None:
        return []
    question_set = current_set(info.procedure.question_set)
    if question_set is None:
        return []
    language = translation.get_language()
    return [(q.code, q.label(language)) for q in question_set.schema.questions]


def linked_cases(info: InformationRequest, official) -> dict:
    """The request this one was split from, and those split from it, each with whether
    the official may open it (the requesting authority takes part in all of them; each
    requested authority only in its own)."""
    condition = Q(split_from_id=info.pk)
    if info.split_from_id:
        condition |= Q(pk=info.split_from_id)
    linked = list(
        InformationRequest.objects.filter(condition)
        .select_related("responder")
        .only("id", "number", "split_from_id", "responder__name")
        .order_by("pk")
    )
    readable = set()
    if linked:
        readable = set(
            visible_requests(official)
            .filter(pk__in=[case.pk for case in linked])
            .values_list("pk", flat=True)
        )
    for case in linked:
        case.readable = case.pk in readable
    return {
        "split_from": next((case for case in linked if case.pk == info.split_from_id), None),
        "splits": [case for case in linked if case.split_from_id == info.pk],
    }


def panel_context(info: InformationRequest, official) -> dict:
    steps = available_steps(official, info)
    handlers = []
    if "assign" in steps:
        handlers = list(
            Membership.objects.filter(
                authority_id=info.responder_id, is_active=True, is_handler=True
            )
            .select_related("official")
            .order_by("official__full_name")
        )
    return {
        "request": info,
        "steps": steps,
        "handlers": handlers,
        "may_write": may_write(official, info),
        "sees_personal_data": may_see_personal_data(official, info),
        "follow_up": follow_up_questions(info, official),
        "linked": linked_cases(info, official),
        "draft_form": forms.DraftForm(instance=info, card=draft_card(info))
        if "edit" in steps
        else None,
    }
