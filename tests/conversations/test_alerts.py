"""The life of an alert: draft, validation, broadcast, dissemination, acknowledgement,
comments, modification, reminders, withdrawal, closure, rectification; and every refusal
writing nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conversations import alert_access
from conversations.models import Alert, AlertEvent, AlertRecipient, Procedure
from conversations.services import alerts as services
from directory.models import PolicyArea

Kind = AlertEvent.Kind


def _procedure(code: str, **rules) -> Procedure:
    return Procedure.objects.create(
        code=code,
        kind=Procedure.Kind.ALERT,
        policy_area=PolicyArea.objects.get(code="professional-qualifications"),
        names={"en": "Alert", "de": "Vorwarnung", "fr": "Alerte"},
        starters=["ca", "dc", "nc"],
        receivers=["ca", "dc", "nc"],
        **rules,
    )


@pytest.fixture
def routed(world):
    """Through the alert coordinators; a competent authority sends through its national
    coordinator; comments go to every recipient."""
    return _procedure("pq-test-alert", routing="coordinators", validated=["ca"], comments="all")


@pytest.fixture
def direct(world):
    """Straight to the authorities concerned; comments for the sender only."""
    return _procedure("pq-test-direct", routing="direct", validated=[], comments="sender")


def _draft(world, procedure, **changes):
    fields = {
        "official": world.anna,
        "sender": world.berlin,
        "procedure": procedure,
        "subject": "Gefälschte Approbationen im Umlauf",
        "body": "Wir haben gefälschte Approbationsurkunden entdeckt.",
        "urgency": Alert.Urgency.URGENT,
        "countries": ["FR", "CZ"],
        "authority_kinds": ["ca"],
    }
    return services.create_alert(**{**fields, **changes})


def _reached(alert) -> set[int]:
    return set(AlertRecipient.objects.filter(alert=alert).values_list("authority_id", flat=True))


def test_a_competent_authority_sends_through_its_coordinator_then_each_country_passes_it_on(
    world, routed
):
    alert = _draft(world, routed)
    assert alert.number.startswith("ALR-") and alert.status == Alert.Status.DRAFT

    alert = services.submit_alert(official=world.anna, alert=alert)
    assert alert.status == Alert.Status.VALIDATION
    assert _reached(alert) == set()  # nothing leaves before the coordinator validates
    assert alert_access.may_read(world.nora, alert)
    assert not alert_access.may_read(world.marie, alert)

    alert = services.validate_alert(official=world.nora, alert=alert, approve=True)
    assert alert.status == Alert.Status.BROADCAST
    # France's national coordinator is reached; Czechia has none: nobody there yet.
    assert _reached(alert) == {world.fr_nc.pk}
    assert alert_access.may_read(world.claire, alert)
    assert not alert_access.may_read(world.marie, alert)

    reached = services.disseminate(official=world.claire, alert=alert, country="FR")
    assert reached == 2  # Paris and Lyon
    assert _reached(alert) == {world.fr_nc.pk, world.paris.pk, world.lyon.pk}
    assert alert_access.may_read(world.marie, alert)
    assert alert_access.may_read(world.sophie, alert)  # a supervisor reads
    kinds = list(alert.events.values_list("kind", flat=True))
    assert kinds == [Kind.SUBMITTED, Kind.BROADCAST, Kind.DISSEMINATED]


def test_a_coordinator_passes_an_alert_on_to_the_authorities_she_chooses(world, routed):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, routed))
    alert = services.validate_alert(official=world.nora, alert=alert, approve=True)
    services.disseminate(
        official=world.claire, alert=alert, country="FR", authority_ids=[world.lyon.pk]
    )
    assert _reached(alert) == {world.fr_nc.pk, world.lyon.pk}
    with pytest.raises(ValidationError):  # Prague is not hers to reach
        services.disseminate(
            official=world.claire, alert=alert, country="FR", authority_ids=[world.prague.pk]
        )
    with pytest.raises(PermissionDenied):
        services.disseminate(official=world.nora, alert=alert, country="FR")
    assert _reached(alert) == {world.fr_nc.pk, world.lyon.pk}


def test_the_coordinator_returns_an_alert_with_a_reason_and_it_is_a_draft_again(world, routed):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, routed))
    with pytest.raises(ValidationError):
        services.validate_alert(official=world.nora, alert=alert, approve=False, reason=" ")
    with pytest.raises(PermissionDenied):  # another country's coordinator
        services.validate_alert(official=world.claire, alert=alert, approve=True)
    alert = services.validate_alert(
        official=world.nora, alert=alert, approve=False, reason="Bitte Rechtsgrundlage nennen."
    )
    assert alert.status == Alert.Status.DRAFT
    assert alert.events.last().kind == Kind.RETURNED
    assert _reached(alert) == set()


def test_a_direct_alert_reaches_every_authority_concerned_and_each_acknowledges_once(world, direct):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, direct))
    assert alert.status == Alert.Status.BROADCAST
    assert _reached(alert) == {world.paris.pk, world.lyon.pk, world.prague.pk}

    assert services.acknowledge(official=world.marie, alert=alert) == 1
    with pytest.raises(ValidationError):
        services.acknowledge(official=world.luc, alert=alert)  # Paris already did
    with pytest.raises(PermissionDenied):
        services.acknowledge(official=world.sophie, alert=alert)  # supervisors read only
    row = AlertRecipient.objects.get(alert=alert, authority=world.paris)
    assert row.acknowledged_by == world.marie and row.acknowledged_version == 1


def test_an_alert_reaching_nobody_is_refused_and_stays_a_draft(world, direct):
    alert = _draft(world, direct, countries=["IS"])
    with pytest.raises(ValidationError) as refused:
        services.submit_alert(official=world.anna, alert=alert)
    assert "countries" in refused.value.message_dict
    alert.refresh_from_db()
    assert alert.status == Alert.Status.DRAFT and not alert.events.exists()
    with pytest.raises(ValidationError):
        _draft(world, direct, countries=["XX"])
    with pytest.raises(ValidationError):
        _draft(world, direct, subject="  ")


def test_only_the_sender_modifies_and_every_version_is_kept(world, direct):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, direct))
    services.acknowledge(official=world.marie, alert=alert)
    with pytest.raises(PermissionDenied):
        services.modify(official=world.marie, alert=alert, subject="x", body="y")
    with pytest.raises(ValidationError):
        services.modify(official=world.anna, alert=alert, subject=alert.subject, body=alert.body)
    alert = services.modify(
        official=world.anna,
        alert=alert,
        subject=alert.subject,
        body="Auch in Lyon aufgetaucht.",
        note="Ort ergänzt",
    )
    assert alert.version == 2
    assert [v.body for v in alert.versions.all()] == [
        "Wir haben gefälschte Approbationsurkunden entdeckt.",
        "Auch in Lyon aufgetaucht.",
    ]
    modified = alert.events.last()
    assert modified.kind == Kind.MODIFIED and modified.data["changed"] == ["body"]


def test_comments_for_the_sender_only_are_read_by_the_sender_and_the_writer(world, direct):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, direct))
    note = services.comment(official=world.marie, alert=alert, body="Merci, nous vérifions.")
    assert note.to_sender_only
    assert alert_access.reads_comment(world.anna, alert, note)
    assert alert_access.reads_comment(world.luc, alert, note)  # Marie's colleague
    assert not alert_access.reads_comment(world.jan, alert, note)
    with pytest.raises(ValidationError):
        services.comment(official=world.marie, alert=alert, body="   ")


def test_a_withdrawal_needs_a_reason_and_ends_acknowledgements(world, direct):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, direct))
    with pytest.raises(ValidationError):
        services.withdraw(official=world.anna, alert=alert, reason="")
    with pytest.raises(PermissionDenied):
        services.withdraw(official=world.marie, alert=alert, reason="Irrtum")
    alert = services.withdraw(official=world.anna, alert=alert, reason="Irrtum: echte Urkunden.")
    assert alert.status == Alert.Status.WITHDRAWN
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.acknowledge(official=world.marie, alert=alert)
    assert "withdrawn" in str(refused.value)
    with pytest.raises(ValidationError):
        services.comment(official=world.marie, alert=alert, body="?")
    services.rectify(official=world.anna, alert=alert, body="Die Urkunden waren doch echt.")
    assert alert.events.last().kind == Kind.RECTIFIED


def test_reminders_go_to_the_silent_authorities_only(world, direct):
    alert = services.submit_alert(official=world.anna, alert=_draft(world, direct))
    services.acknowledge(official=world.marie, alert=alert)
    assert services.remind(official=world.anna, alert=alert) == 2
    assert services.remind(official=world.anna, alert=alert, country="CZ") == 1
    silent = AlertRecipient.objects.filter(alert=alert, reminded_at__isnull=False)
    assert set(silent.values_list("authority_id", flat=True)) == {world.lyon.pk, world.prague.pk}
    with pytest.raises(PermissionDenied):
        services.remind(official=world.jan, alert=alert, country="CZ")
    services.acknowledge(official=world.lea, alert=alert)
    services.acknowledge(official=world.jan, alert=alert)
    with pytest.raises(ValidationError):
        services.remind(official=world.anna, alert=alert)


def test_the_preview_counts_authorities_and_officials_before_sending(world, direct, routed):
    counts = services.preview(direct, ["FR", "CZ"], ["ca"])
    assert counts["authorities"] == 3  # Paris, Lyon, Prague
    assert counts["officials"] == 6  # marie, paul, luc, sophie, lea, jan
    assert counts["countries"] == 2
    assert services.preview(routed, ["FR", "CZ"], ["ca"])["coordinators"] == 1


@pytest.fixture
def with_content(world):
    """An alert procedure whose content is a standard question set."""
    return _procedure(
        "pq-test-content",
        routing="direct",
        validated=[],
        comments="all",
        question_set="pq-diploma-authenticity",
    )


def test_the_standard_content_is_checked_by_type_and_kept_whole_or_not_at_all(world, with_content):
    with pytest.raises(ValidationError) as refused:
        _draft(
            world,
            with_content,
            answers={"document-authentic": ["maybe"], "award-date": ["31.02.2020"]},
        )
    assert set(refused.value.message_dict) == {"document-authentic", "award-date"}
    assert not Alert.objects.exists()
    with pytest.raises(ValidationError):  # a tampered question id
        _draft(world, with_content, answers={"no-such-question": ["yes"]})
    alert = _draft(
        world,
        with_content,
        answers={"document-authentic": ["no"], "award-date": ["2020-02-28"]},
    )
    assert alert.answers == {"document-authentic": "no", "award-date": "2020-02-28"}
    # Sending needs every required question that applies: "discrepancies" now applies.
    with pytest.raises(ValidationError) as missing:
        services.submit_alert(official=world.anna, alert=alert)
    assert "discrepancies" in missing.value.message_dict
    alert.refresh_from_db()
    assert alert.status == Alert.Status.DRAFT and not _reached(alert)
