"""Registering authorities as in IMI: a coordinator invites or registers an authority, the
invited authority completes its details, its coordinator approves or rejects it."""

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory import permissions
from directory.models import (
    AccessGrant,
    Authority,
    AuthorityEvent,
    Invitation,
    Membership,
    Official,
    PolicyArea,
    normalized_email,
)
from directory.search import search_key
from directory.services.history import record

DETAIL_FIELDS = Authority.DETAIL_FIELDS
FIRST_OFFICIAL_ROLES = ["is_local_admin", "is_allocator", "is_handler"]
COORDINATOR_OFFICIAL_ROLES = [*FIRST_OFFICIAL_ROLES, *Membership.COORDINATOR_ROLES]
Kind = Authority.Kind
Status = Authority.Status


def namesakes(*, country_id: str, name: str, exclude_id: int | None = None) -> list[Authority]:
    """Authorities of the country whose name reads the same, accents and case aside."""
    found = Authority.objects.filter(country_id=country_id, name_key=search_key(name)[:255])
    if exclude_id:
        found = found.exclude(pk=exclude_id)
    return list(found.exclude(status=Status.REJECTED))


def _check_name(*, country_id: str, name: str, allow_namesake: bool, exclude_id=None) -> None:
    if not name.strip():
        raise ValidationError({"name": _("Enter the authority's name.")})
    if not allow_namesake and namesakes(country_id=country_id, name=name, exclude_id=exclude_id):
        raise ValidationError(
            {
                "name": _(
                    "An authority of this name already exists in this country. Check the "
                    "directory; if this is a different authority, confirm to register it."
                )
            }
        )


def _check_coordinator(official: Official, coordinator: Authority, areas, region: str) -> None:
    if not permissions.may_register_under(official, coordinator):
        raise PermissionDenied(_("Only a coordinator who validates authorities may do this."))
    if not permissions.within_scope(coordinator, areas, region):
        raise PermissionDenied(
            _("A delegated coordinator acts only inside its own policy areas and region.")
        )


def _grant(authority: Authority, areas: Iterable[PolicyArea], official: Official) -> None:
    AccessGrant.objects.bulk_create(
        [AccessGrant(authority=authority, policy_area=area, granted_by=official) for area in areas],
        ignore_conflicts=True,
    )


def new_invitation(
    *, purpose: str, email: str, authority: Authority, roles: list[str], invited_by: Official
) -> Invitation:
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        purpose=purpose,
        email=normalized_email(email),
        authority=authority,
        roles=roles,
        invited_by=invited_by,
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    transaction.on_commit(lambda: send_invitation(invitation, token))
    return invitation


def send_invitation(invitation: Invitation, token: str) -> None:
    """Mails the link, in the language the authority's name is written in."""
    authority = invitation.authority
    with translation.override(authority.name_language):
        context = {
            "invitation": invitation,
            "authority": authority,
            "link": f"{settings.LIAISON_BASE_URL}/invitations/{token}/",
            "days": settings.INVITATION_VALID_DAYS,
        }
        if invitation.purpose == Invitation.Purpose.REGISTER_AUTHORITY:
            subject = _("Your authority is invited to join Liaison")
        else:
            subject = _("You are invited to join %(authority)s on Liaison") % {
                "authority": authority.display_name
            }
        body = render_to_string("directory/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _apply_details(
    authority: Authority, details: Mapping[str, str], allow_namesake: bool, **fields
) -> dict[str, list[str]]:
    """Writes an authority's details (and `fields`); returns {field: [old, new]} of each
    detail that changed. Keeping its own name is never a namesake conflict."""
    name = details.get("name", "")
    _check_name(
        country_id=authority.country_id,
        name=name,
        allow_namesake=allow_namesake or search_key(name) == authority.name_key,
        exclude_id=authority.pk,
    )
    before = {field: getattr(authority, field) for field in DETAIL_FIELDS}
    for field in DETAIL_FIELDS:
        setattr(authority, field, (details.get(field) or "").strip())
    for field, value in fields.items():
        setattr(authority, field, value)
    authority.full_clean(exclude=["name_key", "search_text"])
    authority.save()
    return {
        field: [before[field], getattr(authority, field)]
        for field in DETAIL_FIELDS
        if before[field] != getattr(authority, field)
    }


def _create(
    *,
    official: Official,
    coordinator: Authority,
    kind: str,
    status: str,
    details: Mapping[str, str],
    areas: list[PolicyArea],
    invite: tuple[str, str, list[str]],
    action: str,
    allow_namesake: bool,
    **recorded,
) -> tuple[Authority, Invitation]:
    """Creates an authority under its coordinator with its policy areas, invites its first
    official (`invite`: purpose, e-mail address, roles) and records the step."""
    _check_name(
        country_id=coordinator.country_id,
        name=details.get("name", ""),
        allow_namesake=allow_namesake,
    )
    authority = Authority(
        country=coordinator.country,
        kind=kind,
        name_language=coordinator.country.languages[0],
        coordinator=coordinator,
        status=status,
        status_changed_at=timezone.now(),
        status_changed_by=official,
        **{field: (details.get(field) or "").strip() for field in DETAIL_FIELDS},
    )
    authority.full_clean(exclude=["name_key", "search_text"])
    authority.save()
    _grant(authority, areas, official)
    purpose, email, roles = invite
    invitation = new_invitation(
        purpose=purpose, email=email, authority=authority, roles=roles, invited_by=official
    )
    record(
        authority=authority,
        actor=official,
        action=action,
        areas=[area.code for area in areas],
        email=invitation.email,
        **recorded,
    )
    return authority, invitation


@transaction.atomic
def invite_authority(
    *,
    official: Official,
    coordinator: Authority,
    name: str,
    email: str,
    areas: Iterable[PolicyArea],
    region: str = "",
    city: str = "",
    allow_namesake: bool = False,
) -> Invitation:
    """Creates the authority as invited and mails its future administrator a link."""
    areas = list(areas)
    _check_coordinator(official, coordinator, areas, region)
    _authority, invitation = _create(
        official=official,
        coordinator=coordinator,
        kind=Kind.COMPETENT_AUTHORITY,
        status=Status.INVITED,
        details={"name": name, "region": region, "city": city},
        areas=areas,
        invite=(Invitation.Purpose.REGISTER_AUTHORITY, email, FIRST_OFFICIAL_ROLES),
        action=AuthorityEvent.Action.INVITED,
        allow_namesake=allow_namesake,
    )
    return invitation


@transaction.atomic
def register_authority(
    *,
    official: Official,
    coordinator: Authority,
    details: Mapping[str, str],
    areas: Iterable[PolicyArea],
    administrator_email: str,
    allow_namesake: bool = False,
) -> Authority:
    """A coordinator registers an authority itself: it is active at once, and its first
    official (its local data administrator) is invited."""
    areas = list(areas)
    _check_coordinator(official, coordinator, areas, details.get("region", ""))
    authority, _invitation = _create(
        official=official,
        coordinator=coordinator,
        kind=Kind.COMPETENT_AUTHORITY,
        status=Status.ACTIVE,
        details=details,
        areas=areas,
        invite=(Invitation.Purpose.JOIN_AUTHORITY, administrator_email, FIRST_OFFICIAL_ROLES),
        action=AuthorityEvent.Action.REGISTERED,
        allow_namesake=allow_namesake,
    )
    return authority


@transaction.atomic
def appoint_delegated_coordinator(
    *,
    official: Official,
    national: Authority,
    name: str,
    email: str,
    areas: Iterable[PolicyArea],
    region: str = "",
    allow_namesake: bool = False,
) -> Invitation:
    """The national coordinator appoints a delegated coordinator for some policy areas
    (and a region, if given); its first official receives the coordinator roles."""
    areas = list(areas)
    if not permissions.may_appoint_delegated_coordinators(official, national):
        raise PermissionDenied(_("Only the national coordinator appoints delegated coordinators."))
    if not areas:
        raise ValidationError({"areas": _("Choose at least one policy area.")})
    authority, invitation = _create(
        official=official,
        coordinator=national,
        kind=Kind.DELEGATED_COORDINATOR,
        status=Status.INVITED,
        details={"name": name, "region": region},
        areas=areas,
        invite=(Invitation.Purpose.REGISTER_AUTHORITY, email, COORDINATOR_OFFICIAL_ROLES),
        action=AuthorityEvent.Action.COORDINATOR_APPOINTED,
        allow_namesake=allow_namesake,
        region=region,
    )
    authority.coordinated_areas.set(areas)
    authority.coordinated_region = region
    authority.save(update_fields=["coordinated_region"])
    return invitation


@transaction.atomic
def complete_registration(
    *,
    invitation: Invitation,
    details: Mapping[str, str],
    full_name: str,
    language: str,
    password: str,
    allow_namesake: bool = False,
) -> Official:
    """The invited authority gives its details and its first official her account; the
    authority then awaits its coordinator's approval."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable or invitation.purpose != Invitation.Purpose.REGISTER_AUTHORITY:
        raise ValidationError(_("This invitation has expired or has already been used."))
    authority = invitation.authority
    changed = _apply_details(
        authority,
        details,
        allow_namesake,
        status=Status.AWAITING_APPROVAL,
        status_changed_at=timezone.now(),
    )
    official = create_invited_official(
        invitation=invitation, full_name=full_name, language=language, password=password
    )
    authority.status_changed_by = official
    authority.save(update_fields=["status_changed_by"])
    record(
        authority=authority,
        actor=official,
        action=AuthorityEvent.Action.COMPLETED,
        **changed,
    )
    return official


def create_invited_official(
    *, invitation: Invitation, full_name: str, language: str, password: str
) -> Official:
    if Official.objects.filter(email=invitation.email).exists():
        raise ValidationError(
            _(
                "An account with the e-mail address %(email)s already exists. Sign in with it, "
                "or ask for an invitation to another address."
            )
            % {"email": invitation.email}
        )
    official = Official(
        email=invitation.email,
        full_name=full_name.strip(),
        language=language,
        time_zone=settings.TIME_ZONE,
    )
    official.set_password(password)
    official.full_clean()
    official.save()
    Membership.objects.create(
        official=official,
        authority=invitation.authority,
        **{role: True for role in invitation.roles},
    )
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return official


def _transition(
    *,
    official: Official,
    authority: Authority,
    allowed_from: Iterable[str],
    to: str,
    action: str,
    reason: str = "",
    reason_required: bool = False,
) -> Authority:
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    if not permissions.may_validate(official, authority):
        raise PermissionDenied(_("Only a coordinator of this authority may do this."))
    if authority.status not in allowed_from:
        raise ValidationError(
            _("This cannot be done while the authority is “%(status)s”.")
            % {"status": authority.get_status_display()}
        )
    if reason_required and not reason.strip():
        raise ValidationError({"reason": _("Give a reason; the authority will see it.")})
    before = authority.status
    authority.status = to
    authority.status_reason = reason.strip()
    authority.status_changed_at = timezone.now()
    authority.status_changed_by = official
    authority.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
            "updated_at",
        ]
    )
    record(
        authority=authority,
        actor=official,
        action=action,
        status=[before, to],
        reason=authority.status_reason,
    )
    return authority


def approve_authority(*, official: Official, authority: Authority) -> Authority:
    with transaction.atomic():
        return _transition(
            official=official,
            authority=authority,
            allowed_from=[Status.AWAITING_APPROVAL],
            to=Status.ACTIVE,
            action=AuthorityEvent.Action.APPROVED,
        )


def reject_authority(*, official: Official, authority: Authority, reason: str) -> Authority:
    with transaction.atomic():
        return _transition(
            official=official,
            authority=authority,
            allowed_from=[Status.AWAITING_APPROVAL],
            to=Status.REJECTED,
            action=AuthorityEvent.Action.REJECTED,
            reason=reason,
            reason_required=True,
        )


def suspend_authority(*, official: Official, authority: Authority, reason: str) -> Authority:
    with transaction.atomic():
        return _transition(
            official=official,
            authority=authority,
            allowed_from=[Status.ACTIVE],
            to=Status.SUSPENDED,
            action=AuthorityEvent.Action.SUSPENDED,
            reason=reason,
            reason_required=True,
        )


def reactivate_authority(*, official: Official, authority: Authority) -> Authority:
    with transaction.atomic():
        return _transition(
            official=official,
            authority=authority,
            allowed_from=[Status.SUSPENDED],
            to=Status.ACTIVE,
            action=AuthorityEvent.Action.REACTIVATED,
        )


@transaction.atomic
def set_access(
    *, official: Official, authority: Authority, areas: Iterable[PolicyArea]
) -> Authority:
    """Grants and withdraws policy areas so that the authority has exactly `areas`;
    each area changed must be in the coordinator's own scope."""
    wanted = {area.pk: area for area in areas}
    current = {
        grant.policy_area_id: grant for grant in authority.grants.select_related("policy_area")
    }
    added = [wanted[pk] for pk in wanted.keys() - current.keys()]
    removed = [current[pk].policy_area for pk in current.keys() - wanted.keys()]
    for area in [*added, *removed]:
        if not permissions.may_grant(official, authority, area):
            raise PermissionDenied(
                _("You may not grant or withdraw “%(area)s” for this authority.")
                % {"area": area.name}
            )
    _grant(authority, added, official)
    AccessGrant.objects.filter(authority=authority, policy_area__in=removed).delete()
    if added:
        record(
            authority=authority,
            actor=official,
            action=AuthorityEvent.Action.ACCESS_GRANTED,
            areas=[area.code for area in added],
        )
    if removed:
        record(
            authority=authority,
            actor=official,
            action=AuthorityEvent.Action.ACCESS_REVOKED,
            areas=[area.code for area in removed],
        )
    return authority


@transaction.atomic
def update_details(
    *,
    official: Official,
    authority: Authority,
    details: Mapping[str, str],
    allow_namesake: bool = False,
) -> Authority:
    """An authority's local data administrator keeps its details and declared
    competences up to date; every change is recorded for its coordinator."""
    if not permissions.administers(official, authority):
        raise PermissionDenied(_("Only the authority's local data administrators edit it."))
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    changed = _apply_details(authority, details, allow_namesake)
    if changed:
        record(
            authority=authority,
            actor=official,
            action=AuthorityEvent.Action.DETAILS_CHANGED,
            **changed,
        )
    return authority
