"""An authority's officials, kept by its local data administrators: invitations, roles,
disabling and enabling."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory import permissions
from directory.models import (
    Authority,
    AuthorityEvent,
    Invitation,
    Membership,
    Official,
    normalized_email,
)
from directory.services.history import record
from directory.services.registration import create_invited_official, new_invitation

ROLE_NAMES = [field for field, _label in Membership.ROLES]


def _check_admin(admin: Official, authority: Authority) -> None:
    if not permissions.administers(admin, authority):
        raise PermissionDenied(
            _("Only a local data administrator of this authority may manage its officials.")
        )


def _check_roles(authority: Authority, roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in ROLE_NAMES]
    if unknown:
        raise ValidationError({"roles": _("Unknown role.")})
    if not authority.is_coordinator and set(roles) & set(Membership.COORDINATOR_ROLES):
        raise ValidationError(
            {"roles": _("Coordinator roles exist only in coordinator authorities.")}
        )
    return roles


@transaction.atomic
def invite_official(
    *, admin: Official, authority: Authority, email: str, roles: Iterable[str]
) -> Invitation:
    _check_admin(admin, authority)
    roles = _check_roles(authority, roles)
    email = normalized_email(email)
    if Membership.objects.filter(authority=authority, official__email=email).exists():
        raise ValidationError({"email": _("This official already belongs to the authority.")})
    if Official.objects.filter(email=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    invitation = new_invitation(
        purpose=Invitation.Purpose.JOIN_AUTHORITY,
        email=email,
        authority=authority,
        roles=roles,
        invited_by=admin,
    )
    record(
        authority=authority,
        actor=admin,
        action=AuthorityEvent.Action.OFFICIAL_INVITED,
        email=email,
        roles=roles,
    )
    return invitation


@transaction.atomic
def join_authority(
    *, invitation: Invitation, full_name: str, language: str, password: str
) -> Official:
    """An invited official creates her account and becomes a member."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable or invitation.purpose != Invitation.Purpose.JOIN_AUTHORITY:
        raise ValidationError(_("This invitation has expired or has already been used."))
    official = create_invited_official(
        invitation=invitation, full_name=full_name, language=language, password=password
    )
    record(
        authority=invitation.authority,
        actor=official,
        action=AuthorityEvent.Action.OFFICIAL_JOINED,
        email=official.email,
        roles=invitation.roles,
    )
    return official


def _last_admin(membership: Membership) -> bool:
    return (
        not Membership.objects.filter(
            authority=membership.authority, is_active=True, is_local_admin=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def set_roles(*, admin: Official, membership: Membership, roles: Iterable[str]) -> Membership:
    _check_admin(admin, membership.authority)
    roles = _check_roles(membership.authority, roles)
    if membership.is_local_admin and "is_local_admin" not in roles and _last_admin(membership):
        raise ValidationError(
            {"roles": _("An authority keeps at least one local data administrator.")}
        )
    before = membership.role_names()
    for role in ROLE_NAMES:
        setattr(membership, role, role in roles)
    membership.save()
    permissions.forget(membership.official)
    record(
        authority=membership.authority,
        actor=admin,
        action=AuthorityEvent.Action.ROLES_CHANGED,
        official=membership.official.email,
        roles=[before, roles],
    )
    return membership


@transaction.atomic
def set_active(*, admin: Official, membership: Membership, active: bool) -> Membership:
    """Disables or enables an official in the authority. An official with no active
    membership left cannot sign in."""
    _check_admin(admin, membership.authority)
    if not active and membership.is_local_admin and _last_admin(membership):
        raise ValidationError(_("An authority keeps at least one local data administrator."))
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    official = membership.official
    official.is_active = active or official.memberships.filter(is_active=True).exists()
    official.save(update_fields=["is_active"])
    action = (
        AuthorityEvent.Action.OFFICIAL_ENABLED
        if active
        else AuthorityEvent.Action.OFFICIAL_DISABLED
    )
    record(authority=membership.authority, actor=admin, action=action, official=official.email)
    return membership
