"""The header's badges: how many requests wait for the official's authorities to act, and
how many alerts they have not acknowledged."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from conversations import alert_access, selectors


def inbox(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    return {
        "inbox_counts": SimpleLazyObject(lambda: selectors.counts(request.user)),
        # A callable: the template asks for it only where it shows the count.
        "alert_count": lambda: len(alert_access.unacknowledged_ids(request.user)),
    }
