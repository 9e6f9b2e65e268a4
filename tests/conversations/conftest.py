"""Two authorities in two countries, their officials, and a procedure between them."""

from types import SimpleNamespace

import pytest

from conversations.models import Procedure
from conversations.services import requests as services
from directory.models import AccessGrant, Authority, Membership, Official, PolicyArea
from tests.conftest import PASSWORD

Kind = Authority.Kind


def _authority(
    country: str, name: str, kind=Kind.COMPETENT_AUTHORITY, coordinator=None, language="en"
) -> Authority:
    authority = Authority.objects.create(
        country_id=country,
        name=name,
        kind=kind,
        status=Authority.Status.ACTIVE,
        name_language=language,
        coordinator=coordinator,
    )
    AccessGrant.objects.create(
        authority=authority, policy_area=PolicyArea.objects.get(code="professional-qualifications")
    )
    return authority


def _official(email: str, name: str, language: str, authority: Authority, *roles) -> Official:
    official = Official.objects.create_user(email, PASSWORD, full_name=name, language=language)
    Membership.objects.create(
        official=official, authority=authority, **{role: True for role in roles}
    )
    return official


@pytest.fixture
def world(db):
    """Germany asks France. Each side has a handler; France also an allocator, a second
    handler and a supervisor; each country a national coordinator following exchanges;
    and a Czech authority stands by, taking part in nothing."""
    de_nc = _authority("DE", "IMI-Koordinierung", Kind.NATIONAL_COORDINATOR, language="de")
    fr_nc = _authority("FR", "Coordination IMI", Kind.NATIONAL_COORDINATOR, language="fr")
    berlin = _authority("DE", "Ärztekammer Berlin", coordinator=de_nc, language="de")
    paris = _authority("FR", "Ordre des médecins", coordinator=fr_nc, language="fr")
    lyon = _authority("FR", "Ordre des médecins du Rhône", coordinator=fr_nc, language="fr")
    prague = _authority("CZ", "Česká lékařská komora", language="cs")
    procedure = Procedure.objects.create(
        code="pq-test-diploma",
        kind=Procedure.Kind.REQUEST,
        policy_area=PolicyArea.objects.get(code="professional-qualifications"),
        names={
            "en": "Diploma authenticity",
            "de": "Echtheit eines Diploms",
            "fr": "Authenticité d’un diplôme",
        },
        starters=["ca", "dc", "nc"],
        receivers=["ca"],
        accept_days=7,
        answer_days=14,
    )
    return SimpleNamespace(
        procedure=procedure,
        berlin=berlin,
        paris=paris,
        lyon=lyon,
        prague=prague,
        de_nc=de_nc,
        fr_nc=fr_nc,
        anna=_official("anna@berlin.example", "Anna Becker", "de", berlin, "is_handler"),
        marie=_official("marie@paris.example", "Marie Dubois", "fr", paris, "is_handler"),
        paul=_official("paul@paris.example", "Paul Martin", "fr", paris, "is_allocator"),
        luc=_official("luc@paris.example", "Luc Petit", "fr", paris, "is_handler"),
        sophie=_official("sophie@paris.example", "Sophie Roux", "fr", paris, "is_supervisor"),
        lea=_official("lea@lyon.example", "Léa Garnier", "fr", lyon, "is_handler"),
        jan=_official("jan@praha.example", "Jan Novák", "cs", prague, "is_handler"),
        nora=_official(
            "nora@bund.example",
            "Nora Koordinatorin",
            "de",
            de_nc,
            "follows_exchanges",
            "validates_authorities",
        ),
        claire=_official(
            "claire@sgae.example", "Claire Coordinatrice", "fr", fr_nc, "follows_exchanges"
        ),
    )


@pytest.fixture
def sent(world):
    """A request from Berlin to Paris, sent."""
    draft = services.create_draft(
        official=world.anna,
        requester=world.berlin,
        procedure=world.procedure,
        subject="Diplom von Dr. Lefèvre",
        description="Ist dieses Diplom echt?",
        person_concerned="Jeanne Lefèvre, born 1980-02-03",
    )
    return services.send_request(official=world.anna, request=draft, responder=world.paris)
