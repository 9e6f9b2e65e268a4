"""The status panel of a request: what it shows one official, and the steps she may
take. Rendered by the request page and, live, by her socket's consumer."""

from conversations import forms
from conversations.models import InformationRequest
from conversations.permissions import available_steps, may_see_personal_data, may_write
from directory.models import Membership


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
        "draft_form": forms.DraftForm(instance=info) if "edit" in steps else None,
    }
