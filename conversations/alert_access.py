"""Who may read and act on an alert. Services check these before they write; the alert
selectors and the WebSocket consumer use them before they show anything.

- The sending authority's handlers write, send, modify, withdraw, close and rectify.
- The sender's national coordinator (its officials following exchanges) validates what
  the procedure sends through it.
- Each receiving country's alert coordinators (its national coordinator and the delegated
  coordinators of the policy area) pass the alert on in their country.
- Every authority reached reads it; its handlers acknowledge and comment.
- Supervisors read what their authority reads; they do not act.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from conversations.models.alerts import Alert, AlertRecipient
from directory import permissions as directory_permissions
from directory.models import Authority, Membership, Official

ACTING_ROLES = ("is_handler", "is_allocator", *Membership.COORDINATOR_ROLES)


def _active(official: Official) -> list[Membership]:
    return [m for m in directory_permissions.memberships(official) if m.authority.is_active]


def acting_authorities(official: Official) -> list[int]:
    """The authorities for which she handles alerts."""
    return [m.authority_id for m in _active(official) if any(getattr(m, r) for r in ACTING_ROLES)]


def acts_for(official: Official, authority_id: int) -> bool:
    return authority_id in acting_authorities(official)


def own_authorities(official: Official) -> list[int]:
    """Every authority she works for, supervisors included: what she may read."""
    return [m.authority_id for m in _active(official)]


def alert_coordinators(area_id: int, countries: Iterable[str]) -> QuerySet[Authority]:
    return Authority.objects.filter(
        Q(kind=Authority.Kind.NATIONAL_COORDINATOR)
        | Q(kind=Authority.Kind.DELEGATED_COORDINATOR, coordinated_areas=area_id),
        status=Authority.Status.ACTIVE,
        country_id__in=list(countries),
    ).distinct()


def validating_authorities(alert: Alert) -> QuerySet[Authority]:
    return Authority.objects.filter(
        kind=Authority.Kind.NATIONAL_COORDINATOR,
        status=Authority.Status.ACTIVE,
        country_id=alert.sender.country_id,
    )


def _validates(alert: Alert) -> bool:
    return alert.sender.kind in alert.procedure.validated and alert.submitted_at is not None


def validator_for(official: Official, alert: Alert) -> Authority | None:
    """Her national coordinator authority, if it validates this alert and she follows
    exchanges there."""
    if not _validates(alert):
        return None
    for membership in directory_permissions.coordinator_memberships(official, "follows_exchanges"):
        authority = membership.authority
        if (
            authority.kind == Authority.Kind.NATIONAL_COORDINATOR
            and authority.country_id == alert.sender.country_id
        ):
            return authority
    return None


def country_coordinator_for(official: Official, alert: Alert, country: str) -> Authority | None:
    """Her authority, if it is an alert coordinator of `country` that the alert reached."""
    reached = set(
        AlertRecipient.objects.filter(
            alert=alert, role=AlertRecipient.Role.COORDINATOR, country_id=country
        ).values_list("authority_id", flat=True)
    )
    for membership in _active(official):
        if membership.authority_id in reached and any(getattr(membership, r) for r in ACTING_ROLES):
            return membership.authority
    return None


def coordinated_countries(official: Official, alert: Alert) -> list[str]:
    """The receiving countries whose alert coordinator she acts for."""
    mine = acting_authorities(official)
    return sorted(
        set(
            AlertRecipient.objects.filter(
                alert=alert, role=AlertRecipient.Role.COORDINATOR, authority_id__in=mine
            ).values_list("country_id", flat=True)
        )
    )


def writing_authority(official: Official, alert: Alert) -> Authority | None:
    """The authority she comments for: the sender, or an authority the alert reached."""
    mine = acting_authorities(official)
    if alert.sender_id in mine:
        return alert.sender
    recipient = (
        AlertRecipient.objects.filter(alert=alert, authority_id__in=mine)
        .select_related("authority")
        .first()
    )
    return recipient.authority if recipient else None


def visible_alerts(official: Official) -> QuerySet[Alert]:
    """What she may read: her authorities' own alerts (drafts included), those that
    reached them, and those her national coordinator validates."""
    own = own_authorities(official)
    reached = AlertRecipient.objects.filter(authority_id__in=own).values("alert_id")
    scope = Q(sender_id__in=own) | (Q(pk__in=reached) & ~Q(status=Alert.Status.DRAFT))
    for membership in directory_permissions.coordinator_memberships(official, "follows_exchanges"):
        authority = membership.authority
        if authority.kind == Authority.Kind.NATIONAL_COORDINATOR:
            scope |= Q(sender__country_id=authority.country_id, submitted_at__isnull=False) & ~Q(
                status=Alert.Status.DRAFT
            )
    return Alert.objects.filter(scope)


def may_read(official: Official, alert: Alert) -> bool:
    return visible_alerts(official).filter(pk=alert.pk).exists()


def reads_comment(official: Official, alert: Alert, event) -> bool:
    """A comment for the sender only is read by the sender and its writer's authority."""
    if not event.to_sender_only:
        return True
    own = own_authorities(official)
    return alert.sender_id in own or event.authority_id in own


# --- reads for pages and sockets --------------------------------------------------------------


def alert_for(official: Official, alert_id: int) -> Alert | None:
    """One alert with what its page needs, or None if she may not read it."""
    alert = (
        visible_alerts(official)
        .select_related(
            "procedure__policy_area",
            "sender__country",
            "created_by",
            "sender__coordinator",
            "question_set",
        )
        .filter(pk=alert_id)
        .first()
    )
    return alert


def thread(official: Official, alert: Alert, *, after: int = 0) -> list:
    own = own_authorities(official)
    entries = alert.events.filter(pk__gt=after).select_related("official", "authority__country")
    if alert.sender_id not in own:
        entries = entries.filter(Q(to_sender_only=False) | Q(authority_id__in=own))
    return list(entries)


def waiting(official: Official) -> Q:
    """What waits for her: alerts her authorities have not acknowledged, alerts her
    national coordinator must validate, countries her coordinator must pass alerts on in."""
    mine = acting_authorities(official)
    unacknowledged = AlertRecipient.objects.filter(
        authority_id__in=mine, acknowledged_at__isnull=True
    ).values("alert_id")
    scope = Q(pk__in=unacknowledged, status=Alert.Status.BROADCAST)
    for membership in directory_permissions.coordinator_memberships(official, "follows_exchanges"):
        authority = membership.authority
        if authority.kind == Authority.Kind.NATIONAL_COORDINATOR:
            scope |= Q(status=Alert.Status.VALIDATION, sender__country_id=authority.country_id)
    return scope


def inbox(official: Official, show: str) -> QuerySet[Alert]:
    alerts = visible_alerts(official)
    if show == "waiting":
        alerts = alerts.filter(waiting(official))
    elif show == "sent":
        alerts = alerts.filter(sender_id__in=own_authorities(official))
    return alerts.select_related("procedure__policy_area", "sender__country").order_by(
        "-broadcast_at", "-created_at"
    )


def unacknowledged_ids(official: Official) -> set[int]:
    """The live alerts her authorities have not acknowledged: the header's count."""
    return set(
        AlertRecipient.objects.filter(
            authority_id__in=acting_authorities(official) or own_authorities(official),
            acknowledged_at__isnull=True,
            alert__status=Alert.Status.BROADCAST,
        ).values_list("alert_id", flat=True)
    )


def tracking(alert: Alert) -> list[dict]:
    """Acknowledgements per receiving country: reached, acknowledged, reminded; and, when
    routed through coordinators, whether the country has passed the alert on."""
    from django.db.models import Count

    from conversations.models.alerts import AlertCountry
    from directory.models import Country

    rows = {
        row["country_id"]: row
        for row in AlertRecipient.objects.filter(alert=alert, role=AlertRecipient.Role.AUTHORITY)
        .values("country_id")
        .annotate(reached=Count("id"), acknowledged=Count("acknowledged_at"))
    }
    coordinators = {
        row["country_id"]: row
        for row in AlertRecipient.objects.filter(alert=alert, role=AlertRecipient.Role.COORDINATOR)
        .values("country_id")
        .annotate(reached=Count("id"), acknowledged=Count("acknowledged_at"))
    }
    routes = {
        route.country_id: route
        for route in AlertCountry.objects.filter(alert=alert).select_related("disseminated_by")
    }
    codes = sorted(set(rows) | set(coordinators) | set(routes))
    names = {c.code: c for c in Country.objects.filter(code__in=codes)}
    table = []
    for code in codes:
        row = rows.get(code, {})
        table.append(
            {
                "country": names.get(code),
                "code": code,
                "reached": row.get("reached", 0),
                "acknowledged": row.get("acknowledged", 0),
                "coordinators": coordinators.get(code, {}).get("reached", 0),
                "route": routes.get(code),
            }
        )
    return table


def recipients_of(alert: Alert, country: str) -> QuerySet[AlertRecipient]:
    return (
        AlertRecipient.objects.filter(alert=alert, country_id=country)
        .select_related("authority", "acknowledged_by")
        .order_by("acknowledged_at", "authority__name")
    )
