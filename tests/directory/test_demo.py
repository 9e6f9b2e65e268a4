"""The demo directory `make run` loads: every country, every role, deterministic."""

import pytest
from django.core.management import call_command

from directory.demo import DEMO_OFFICIALS, DEMO_PASSWORD
from directory.models import Authority, Country, Membership, Official
from translation.languages import BY_CODE

pytestmark = pytest.mark.django_db


def seeded_names() -> list[str]:
    return list(Authority.objects.order_by("id").values_list("name", flat=True))


def test_the_small_demo_covers_every_country_and_role(capsys):
    call_command("seed_demo")
    assert 250 <= Authority.objects.count() <= 450
    for country in Country.objects.all():
        assert (
            Authority.objects.filter(
                country=country, kind=Authority.Kind.NATIONAL_COORDINATOR
            ).count()
            == 1
        )
    assert Authority.objects.filter(kind=Authority.Kind.DELEGATED_COORDINATOR).exists()
    for field, _label in Membership.ROLES:
        assert Membership.objects.filter(**{field: True}).exists(), field

    demo_languages = {demo.language for demo in DEMO_OFFICIALS}
    assert len(demo_languages - {"en"}) >= 6
    for demo in DEMO_OFFICIALS:
        official = Official.objects.get(email=demo.email)
        assert official.check_password(DEMO_PASSWORD)
        if not demo.is_operator:
            assert official.memberships.filter(authority__country_id=demo.country).exists()

    printed = capsys.readouterr().out
    assert "anna.becker@demo.liaison.eu" in printed
    assert BY_CODE["pl"].english_name in printed
    assert "national coordinator" in printed


def test_seeding_again_keeps_everything_and_a_fresh_seed_is_identical():
    call_command("seed_demo")
    first = seeded_names()
    officials = Official.objects.count()
    call_command("seed_demo")
    assert seeded_names() == first
    assert Official.objects.count() == officials

    Membership.objects.all().delete()
    Official.objects.all().delete()
    Authority.objects.filter(kind=Authority.Kind.COMPETENT_AUTHORITY).delete()
    Authority.objects.filter(kind=Authority.Kind.COMMISSION_SERVICE).delete()
    Authority.objects.filter(kind=Authority.Kind.DELEGATED_COORDINATOR).delete()
    Authority.objects.all().delete()
    call_command("seed_demo")
    assert [name for name in seeded_names()] == first
