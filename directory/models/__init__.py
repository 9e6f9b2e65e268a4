"""The directory's models: officials, countries and policy areas, authorities, memberships."""

from directory.models.authorities import AccessGrant, Authority, AuthorityEvent
from directory.models.memberships import Invitation, Membership
from directory.models.officials import (
    Official,
    OfficialManager,
    normalized_email,
    time_zone_choices,
)
from directory.models.places import Country, PolicyArea

__all__ = [
    "AccessGrant",
    "Authority",
    "AuthorityEvent",
    "Country",
    "Invitation",
    "Membership",
    "Official",
    "OfficialManager",
    "PolicyArea",
    "normalized_email",
    "time_zone_choices",
]
