"""The platform operator's admin covers the whole directory."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [
    "official",
    "country",
    "policyarea",
    "authority",
    "membership",
    "invitation",
    "authorityevent",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_directory_model_has_its_admin_pages(client, make_official, make_authority, model):
    operator = make_official(email="op@liaison.example", is_staff=True, is_superuser=True)
    authority = make_authority(name="Bundesamt für Justiz")
    client.force_login(operator)
    assert client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200
    if model == "authority":
        page = client.get(reverse("admin:directory_authority_change", args=[authority.pk]))
        assert page.status_code == 200


def test_officials_cannot_open_the_admin(client, official):
    client.force_login(official)
    response = client.get(reverse("admin:directory_authority_changelist"))
    assert response.status_code == 302
