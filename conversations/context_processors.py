"""The header's badge: how many requests wait for the official's authorities to act."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from conversations import selectors


def inbox(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    return {"inbox_counts": SimpleLazyObject(lambda: selectors.counts(request.user))}
