"""The record of each step in an authority's life, shown to its coordinators."""

from directory.models import Authority, AuthorityEvent, Official


def record(
    *, authority: Authority, actor: Official | None, action: str, **changes
) -> AuthorityEvent:
    return AuthorityEvent.objects.create(
        authority=authority, actor=actor, action=action, changes=changes
    )
