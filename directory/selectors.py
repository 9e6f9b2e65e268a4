"""Reads of the directory shown to officials, each filtered by what the viewer may see."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet

from directory import permissions, search
from directory.models import (
    AccessGrant,
    Authority,
    AuthorityEvent,
    Country,
    Invitation,
    Membership,
    Official,
    PolicyArea,
)

Status = Authority.Status


def _listed(queryset: QuerySet[Authority]) -> QuerySet[Authority]:
    """What every result card needs, in a fixed number of queries."""
    return queryset.select_related("country").prefetch_related(
        Prefetch("policy_areas", queryset=PolicyArea.objects.order_by("code"))
    )


# Officials find active authorities; pending ones appear on their coordinators' desk.
LISTED = (Status.ACTIVE,)


@dataclass
class AuthoritySearch:
    """A lazily evaluated search, sliceable and countable, so Django's Paginator pages it
    with one count and one page query (plus the authorities and their policy areas)."""

    text: str
    filters: search.Filters

    @cached_property
    def query(self) -> search.Query | None:
        if not search.terms(self.text):
            return None
        return search.parse(self.text, PolicyArea.objects.values_list("id", "names"))

    def count(self) -> int:
        if self.query is None:
            return self._browse().count()
        return search.count(self.query, self.filters)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Authority]:
        offset, stop = window.start or 0, window.stop
        if self.query is None:
            return list(_listed(self._browse())[offset:stop])
        ids = search.page(self.query, self.filters, offset=offset, limit=stop - offset)
        by_id = {
            authority.pk: authority for authority in _listed(Authority.objects.filter(pk__in=ids))
        }
        return [by_id[pk] for pk in ids if pk in by_id]

    def _browse(self) -> QuerySet[Authority]:
        found = Authority.objects.filter(status__in=self.filters.statuses)
        if self.filters.country:
            found = found.filter(country_id=self.filters.country)
        if self.filters.kind:
            found = found.filter(kind=self.filters.kind)
        if self.filters.policy_area_id:
            found = found.filter(grants__policy_area_id=self.filters.policy_area_id)
        return found.order_by("country_id", "name_key", "id")


def search_authorities(
    *,
    viewer: Official,
    query: str = "",
    country: str | None = None,
    kind: str | None = None,
    policy_area: PolicyArea | None = None,
) -> AuthoritySearch:
    return AuthoritySearch(
        text=query,
        filters=search.Filters(
            statuses=LISTED,
            country=country or None,
            kind=kind or None,
            policy_area_id=policy_area.pk if policy_area else None,
        ),
    )


def authority_for_viewer(*, viewer: Official, authority_id: int) -> Authority | None:
    """An authority's page: active ones for everyone; others for their own officials,
    their coordinators and platform operators."""
    authority = (
        _listed(Authority.objects.all())
        .select_related("coordinator__country", "coordinator__coordinator__country")
        .filter(pk=authority_id)
        .first()
    )
    if authority is None:
        return None
    if authority.is_active or permissions.may_see_officials(viewer, authority):
        return authority
    if any(m.authority.pk == authority.pk for m in permissions.memberships(viewer)):
        return authority
    return None


def coordinator_chain(authority: Authority) -> list[Authority]:
    """The coordinators above an authority, nearest first: a competent authority's
    delegated coordinator, then the national coordinator (both loaded with it)."""
    chain, current = [], authority.coordinator
    while current is not None and len(chain) < 2:
        chain.append(current)
        current = current.coordinator if len(chain) < 2 else None
    return chain


def officials_of(*, viewer: Official, authority: Authority) -> list[Membership] | None:
    """The authority's officials and roles, or None when the viewer may not see them."""
    if not permissions.may_see_officials(viewer, authority):
        return None
    return list(
        authority.memberships.select_related("official").order_by(
            "-is_active", "official__full_name"
        )
    )


def pending_invitations(*, authority: Authority) -> list[Invitation]:
    return list(authority.invitations.filter(used_at__isnull=True).order_by("-created_at"))


def coordinated_by(*, viewer: Official) -> QuerySet[Authority]:
    """Every authority the viewer's coordinator roles reach."""
    scopes = Q(pk__in=[])
    for membership in permissions.coordinator_memberships(viewer):
        coordinator = membership.authority
        if coordinator.kind == Authority.Kind.NATIONAL_COORDINATOR:
            scopes |= Q(country_id=coordinator.country_id) & ~Q(pk=coordinator.pk)
        else:
            scopes |= Q(coordinator_id=coordinator.pk)
    return Authority.objects.filter(scopes)


def awaiting_approval(*, viewer: Official) -> list[Authority]:
    return list(
        _listed(
            coordinated_by(viewer=viewer).filter(
                status__in=[Status.AWAITING_APPROVAL, Status.INVITED]
            )
        ).order_by("status", "-status_changed_at")[:100]
    )


def recent_history(*, viewer: Official, limit: int = 50) -> list[AuthorityEvent]:
    return list(
        AuthorityEvent.objects.filter(authority__in=coordinated_by(viewer=viewer))
        .select_related("authority", "actor")
        .order_by("-at", "-id")[:limit]
    )


def authority_history(*, viewer: Official, authority: Authority) -> list[AuthorityEvent] | None:
    if not permissions.may_see_officials(viewer, authority):
        return None
    return list(authority.history.select_related("actor")[:100])


def countries() -> list[Country]:
    return list(Country.objects.order_by("code"))


def policy_areas() -> list[PolicyArea]:
    return list(PolicyArea.objects.filter(is_active=True).order_by("code"))


def grants_of(authority: Authority) -> list[AccessGrant]:
    return list(authority.grants.select_related("policy_area", "granted_by"))
