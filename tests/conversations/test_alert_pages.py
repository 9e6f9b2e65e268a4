"""Alert pages over HTTP: writing one with a live count of whom it reaches, refusals that
keep what was typed, the page of each party, and its steps."""

import pytest
from django.test import Client
from django.utils.html import escape

from conversations.models import Alert, AlertRecipient, Procedure
from conversations.services import alerts as services
from directory.models import PolicyArea


@pytest.fixture
def direct(world):
    return Procedure.objects.create(
        code="pq-test-direct",
        kind=Procedure.Kind.ALERT,
        policy_area=PolicyArea.objects.get(code="professional-qualifications"),
        names={"en": "Alert on a professional", "de": "Vorwarnung", "fr": "Alerte"},
        starters=["ca", "dc", "nc"],
        receivers=["ca", "dc", "nc"],
        routing="direct",
    )


def _client(official) -> Client:
    client = Client()
    client.force_login(official)
    return client


def _form(procedure, **changes):
    return {
        "procedure": procedure.pk,
        "urgency": "urgent",
        "subject": "Gefälschte Approbationen",
        "body": "Wir haben gefälschte Urkunden entdeckt.",
        "countries": ["FR", "CZ"],
        "authority_kinds": ["ca"],
        **changes,
    }


def test_the_preview_counts_whom_the_alert_reaches(world, direct):
    response = _client(world.anna).post("/alerts/preview/", _form(direct))
    assert response.status_code == 200
    assert "3" in response.content.decode() and "alert-preview" in response.content.decode()


def test_an_alert_with_no_recipient_is_refused_and_keeps_its_text(world, direct):
    anna = _client(world.anna)
    response = anna.post("/alerts/new/", {**_form(direct, countries=["IS"]), "send": "1"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Wir haben gefälschte Urkunden entdeckt." in page
    assert 'role="alert"' in page
    draft = Alert.objects.get()
    assert draft.status == Alert.Status.DRAFT  # saved, not sent
    assert not AlertRecipient.objects.exists()


def test_sending_broadcasts_and_each_party_sees_its_page(world, direct):
    response = _client(world.anna).post("/alerts/new/", {**_form(direct), "send": "1"})
    alert = Alert.objects.get()
    assert response.status_code == 302 and response.url == f"/alerts/{alert.pk}/"
    assert alert.status == Alert.Status.BROADCAST

    sender_page = _client(world.anna).get(f"/alerts/{alert.pk}/").content.decode()
    assert "alert-tracking" in sender_page and 'data-reached="3"' in sender_page
    marie = _client(world.marie)
    recipient_page = marie.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'value="acknowledge"' in recipient_page
    assert "tracking-total" not in recipient_page  # the counts are the sender's
    assert alert.number in marie.get("/alerts/").content.decode()

    assert marie.post(f"/alerts/{alert.pk}/step/", {"step": "acknowledge"}).status_code == 302
    again = marie.post(f"/alerts/{alert.pk}/step/", {"step": "acknowledge"})
    assert again.status_code == 422
    outsider = _client(world.claire).get(f"/alerts/{alert.pk}/")
    assert outsider.status_code == 404


def test_a_withdrawal_without_a_reason_is_refused_beside_its_form(world, direct):
    alert = services.submit_alert(
        official=world.anna,
        alert=services.create_alert(
            official=world.anna,
            sender=world.berlin,
            procedure=direct,
            subject="Test",
            body="Text",
            countries=["FR"],
            authority_kinds=["ca"],
        ),
    )
    anna = _client(world.anna)
    refused = anna.post(f"/alerts/{alert.pk}/step/", {"step": "withdraw", "reason": " "})
    assert refused.status_code == 422
    assert "<details open" in refused.content.decode()
    modified = anna.post(
        f"/alerts/{alert.pk}/step/",
        {"step": "modify", "subject": "Test", "body": "Neuer Text", "note": "präzisiert"},
    )
    assert modified.status_code == 302
    page = _client(world.marie).get(f"/alerts/{alert.pk}/").content.decode()
    assert "Neuer Text" in page and "präzisiert" in page
    not_sender = _client(world.marie).post(
        f"/alerts/{alert.pk}/step/", {"step": "withdraw", "reason": "x"}
    )
    assert not_sender.status_code == 403
    alert.refresh_from_db()
    assert alert.status == Alert.Status.BROADCAST


def test_the_standard_content_is_written_in_one_language_and_read_in_another(world, direct):
    from conversations.services.cards import current_set

    direct.question_set = "pq-diploma-authenticity"
    direct.save()
    anna = _client(world.anna)
    fields = anna.get(f"/alerts/content/?procedure={direct.pk}").content.decode()
    assert 'name="q-document-authentic"' in fields
    assert 'name="q-confirmation-document"' not in fields  # no files in an alert

    refused = anna.post(
        "/alerts/new/",
        {**_form(direct), "q-document-authentic": "no", "q-award-date": "gestern", "send": "1"},
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'value="gestern"' in page and "question--invalid" in page  # kept, marked
    assert not Alert.objects.exists()

    sent = anna.post(
        "/alerts/new/",
        {
            **_form(direct),
            "q-document-authentic": "no",
            "q-discrepancies": "Das Siegel fehlt.",
            "q-holder-data-match": "yes",
            "q-issuing-body-status": "public",
            "q-qualification-valid": "yes",
            "q-minimum-training": "yes",
            "send": "1",
        },
    )
    assert sent.status_code == 302
    alert = Alert.objects.get()
    schema = current_set("pq-diploma-authenticity").schema
    question = next(q for q in schema.questions if q.code == "issuing-body-status")
    option = next(o for o in question.options if o.code == "public")
    french = _client(world.marie).get(f"/alerts/{alert.pk}/").content.decode()
    assert escape(question.label("fr")) in french and escape(option.label("fr")) in french
    assert alert.answers["discrepancies"] == "Das Siegel fehlt."
