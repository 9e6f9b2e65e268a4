"""Each official chooses how she hears of new exchanges; digests go out in her language,
once per period, with links, and only when something happened."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from conversations import notifications
from conversations.models import NotificationPreference, Procedure
from conversations.services import alerts as alert_services
from conversations.services import requests as request_services
from directory.models import PolicyArea
from tests.conftest import translated


def _client(official) -> Client:
    client = Client()
    client.force_login(official)
    return client


def test_she_chooses_per_kind_and_a_wrong_choice_is_refused(world):
    page = _client(world.marie)
    assert page.get("/notifications/").status_code == 200
    refused = page.post("/notifications/", {"request": "sometimes", "alert": "daily"})
    assert refused.status_code == 422
    assert not NotificationPreference.objects.exists()  # nothing half-saved
    saved = page.post(
        "/notifications/", {"request": "none", "alert": "hourly", "notification": "live"}
    )
    assert saved.status_code == 302
    assert notifications.preferences(world.marie) == {
        "request": "none",
        "alert": "hourly",
        "notification": "live",
    }


def test_a_digest_lists_new_alerts_and_cases_in_her_language_once_per_period(world, sent):
    procedure = Procedure.objects.create(
        code="pq-test-direct",
        kind=Procedure.Kind.ALERT,
        policy_area=PolicyArea.objects.get(code="professional-qualifications"),
        names={"en": "Alert", "de": "Vorwarnung", "fr": "Alerte"},
        starters=["ca"],
        receivers=["ca"],
        routing="direct",
    )
    notifications.choose(official=world.marie, choices={"alert": "hourly", "request": "daily"})
    alert = alert_services.submit_alert(
        official=world.anna,
        alert=alert_services.create_alert(
            official=world.anna,
            sender=world.berlin,
            procedure=procedure,
            subject="Gefälschte Urkunden",
            body="Text",
            countries=["FR"],
            authority_kinds=["ca"],
        ),
    )
    request_services.post_message(official=world.anna, request=sent, text="Noch eine Frage")

    assert notifications.send_digests() == 1
    (message,) = mail.outbox
    assert message.to == [world.marie.email]
    assert alert.number in message.body and f"/alerts/{alert.pk}/" in message.body
    assert sent.number in message.body and f"/requests/{sent.pk}/" in message.body
    assert translated("fr", "Alerts and notifications") in message.body  # her language

    # Within the hour, nothing more; a quiet hour later sends no empty mail either.
    assert notifications.send_digests() == 0
    assert notifications.send_digests(now=timezone.now() + timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1


def test_officials_on_live_notices_get_no_digest(world, sent):
    request_services.post_message(official=world.anna, request=sent, text="Bitte antworten")
    assert notifications.send_digests() == 0
    assert not mail.outbox
