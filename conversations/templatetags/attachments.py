"""What a thread entry shows of its attachments to the official reading it."""

from django import template

from conversations.models import InformationRequest, RequestEvent
from conversations.permissions import may_see_attachments

register = template.Library()


@register.simple_tag
def attachments_visible(entry: RequestEvent, official=None, request=None) -> bool:
    """Whether `official` may open the entry's attachments. A fragment rendered without
    the reader or without the entry's own request in its context shows none: it cannot
    tell whom it is for, so it says only how many files wait for acceptance."""
    if not getattr(official, "is_authenticated", False):
        return False
    if not isinstance(request, InformationRequest) or request.pk != entry.request_id:
        return False
    return may_see_attachments(official, request, entry.authority_id)
