"""Who may act on which authority. Services check these before they write; selectors use
them to decide what to show. One place, so HTTP pages and WebSocket events agree."""

from collections.abc import Iterable

from directory.models import Authority, Membership, Official, PolicyArea


def memberships(official: Official) -> list[Membership]:
    """The official's active memberships in active authorities, loaded once per official
    object (a request's user, a consumer's official)."""
    cached = getattr(official, "_directory_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(official=official, is_active=True)
            .select_related("authority", "authority__country")
            .prefetch_related("authority__coordinated_areas")
            .exclude(authority__status__in=[Authority.Status.REJECTED, Authority.Status.SUSPENDED])
        )
        official._directory_memberships = cached
    return cached


def forget(official: Official) -> None:
    """Drops the cached memberships after a service changed them."""
    official.__dict__.pop("_directory_memberships", None)


def coordinates(coordinator: Authority, authority: Authority) -> bool:
    """A national coordinator answers for every authority of its country; a delegated
    coordinator for the authorities it registered."""
    if not coordinator.is_active or coordinator.pk == authority.pk:
        return False
    if coordinator.kind == Authority.Kind.NATIONAL_COORDINATOR:
        return authority.country_id == coordinator.country_id
    if coordinator.kind == Authority.Kind.DELEGATED_COORDINATOR:
        return authority.coordinator_id == coordinator.pk
    return False


def coordinator_memberships(official: Official, role: str | None = None) -> list[Membership]:
    """Memberships in active coordinator authorities holding `role`, or any coordinator
    role when none is named."""
    roles = (role,) if role else Membership.COORDINATOR_ROLES
    return [
        membership
        for membership in memberships(official)
        if membership.authority.is_coordinator
        and membership.authority.is_active
        and any(getattr(membership, name) for name in roles)
    ]


def may_register_under(official: Official, coordinator: Authority) -> bool:
    """Whether the official may invite or register authorities for this coordinator."""
    return any(
        m.authority.pk == coordinator.pk
        for m in coordinator_memberships(official, "validates_authorities")
    )


def within_scope(coordinator: Authority, areas: Iterable[PolicyArea], region: str = "") -> bool:
    """A delegated coordinator stays inside its policy areas and its region."""
    if coordinator.kind != Authority.Kind.DELEGATED_COORDINATOR:
        return True
    allowed = {area.pk for area in coordinator.coordinated_areas.all()}
    if any(area.pk not in allowed for area in areas):
        return False
    return not coordinator.coordinated_region or region == coordinator.coordinated_region


def may_validate(official: Official, authority: Authority) -> bool:
    return any(
        coordinates(m.authority, authority)
        for m in coordinator_memberships(official, "validates_authorities")
    )


def may_grant(official: Official, authority: Authority, area: PolicyArea) -> bool:
    return any(
        coordinates(m.authority, authority) and within_scope(m.authority, [area])
        for m in coordinator_memberships(official, "grants_access")
    )


def may_appoint_delegated_coordinators(official: Official, national: Authority) -> bool:
    return national.kind == Authority.Kind.NATIONAL_COORDINATOR and may_register_under(
        official, national
    )


def administers(official: Official, authority: Authority) -> bool:
    """Local data administrator of the authority."""
    return any(m.authority.pk == authority.pk and m.is_local_admin for m in memberships(official))


def may_see_officials(official: Official, authority: Authority) -> bool:
    """An authority's officials and roles are shown to its administrators and its
    coordinators only."""
    return (
        official.is_staff
        or administers(official, authority)
        or any(coordinates(m.authority, authority) for m in coordinator_memberships(official))
    )
