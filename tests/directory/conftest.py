"""Builders for directory tests: countries and policy areas come from the reference data
loaded after migrations; authorities and officials are made here."""

import pytest

from directory.models import AccessGrant, Authority, Membership, PolicyArea
from tests.conftest import PASSWORD

Kind = Authority.Kind


@pytest.fixture
def make_authority(db):
    def make(
        country="DE",
        name="Bundesamt für Justiz",
        kind=Kind.COMPETENT_AUTHORITY,
        areas=("civil-justice",),
        status=Authority.Status.ACTIVE,
        coordinator=None,
        language=None,
        **fields,
    ) -> Authority:
        authority = Authority.objects.create(
            country_id=country,
            name=name,
            kind=kind,
            status=status,
            coordinator=coordinator,
            name_language=language
            or {
                "DE": "de",
                "FR": "fr",
                "CZ": "cs",
                "EL": "el",
                "PT": "pt",
                "PL": "pl",
                "BG": "bg",
            }.get(country, "en"),
            **fields,
        )
        for code in areas:
            AccessGrant.objects.create(
                authority=authority, policy_area=PolicyArea.objects.get(code=code)
            )
        authority.refresh_from_db()
        return authority

    return make


@pytest.fixture
def make_member(make_official):
    counter = iter(range(10_000))

    def make(authority: Authority, *roles: str, language="en", **fields):
        official = make_official(
            email=fields.pop(
                "email", f"official{next(counter)}@{authority.country_id.lower()}.example"
            ),
            full_name=fields.pop("full_name", "Test Official"),
            language=language,
        )
        Membership.objects.create(
            official=official, authority=authority, **{role: True for role in roles}
        )
        return official

    return make


@pytest.fixture
def german_coordination(make_authority, make_member):
    """Germany's national coordinator, a delegated coordinator for professional
    qualifications in Bayern, and a coordinator official at each."""
    national = make_authority(
        name="Bundesministerium für Wirtschaft – IMI-Koordinierung",
        kind=Kind.NATIONAL_COORDINATOR,
        areas=(),
        acronym="BMWi",
    )
    delegated = make_authority(
        name="Bayerisches Landesamt für Pflege",
        kind=Kind.DELEGATED_COORDINATOR,
        areas=(),
        coordinator=national,
        region="Bayern",
    )
    delegated.coordinated_areas.set([PolicyArea.objects.get(code="professional-qualifications")])
    delegated.coordinated_region = "Bayern"
    delegated.save()
    roles = ("validates_authorities", "grants_access", "follows_exchanges")
    return {
        "national": national,
        "delegated": delegated,
        "nc_official": make_member(national, *roles, email="nc@bund.example"),
        "dc_official": make_member(delegated, *roles, email="dc@bayern.example"),
    }


__all__ = ["PASSWORD"]
