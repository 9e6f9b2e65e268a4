"""The life of an alert or notification: draft, validation by the sender's national
coordinator, broadcast, dissemination by each receiving country's alert coordinators,
acknowledgement, comments, modification (every version kept), reminders, withdrawal or
closure, rectification.

Each function checks who acts, refuses an illegal step with a clear error and writes
nothing then, writes in one transaction, records the step and announces it once
committed. Reaching thousands of authorities is one bulk insert and one event per
authority group (DESIGN.md §5): a process that dies after the commit loses no recipient,
because every page reads what reached it from the database when it (re)connects.
"""

import secrets
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations import alert_access, events, translations
from conversations.models import Procedure
from conversations.models.alerts import (
    Alert,
    AlertCountry,
    AlertEvent,
    AlertRecipient,
    AlertVersion,
)
from conversations.services import cards as card_services
from directory.models import Authority, Country, Official

Status = Alert.Status
Kind = AlertEvent.Kind
Role = AlertRecipient.Role
REASON_MAX = 2000
COMMENT_MAX = 5000


# --- targeting ---------------------------------------------------------------------------------


def concerned_authorities(
    procedure: Procedure, countries: Iterable[str], kinds: Iterable[str]
) -> QuerySet[Authority]:
    """The active authorities of the chosen countries and kinds with access to the
    procedure's policy area: whom the alert finally reaches."""
    return Authority.objects.filter(
        status=Authority.Status.ACTIVE,
        country_id__in=list(countries),
        kind__in=[kind for kind in kinds if kind in procedure.receivers],
        policy_areas=procedure.policy_area_id,
    )


def alert_coordinators(procedure: Procedure, countries: Iterable[str]) -> QuerySet[Authority]:
    """Each country's alert coordinators for the procedure's area: its national
    coordinator, and the delegated coordinators of that area."""
    return alert_access.alert_coordinators(procedure.policy_area_id, countries)


def preview(procedure: Procedure, countries: Sequence[str], kinds: Sequence[str]) -> dict:
    """How many authorities and officials an alert would reach, for the form's live count."""
    from directory.models import Membership

    authorities = concerned_authorities(procedure, countries, kinds)
    count = authorities.count()
    officials = (
        Membership.objects.filter(is_active=True, authority__in=authorities)
        .values("official")
        .distinct()
        .count()
    )
    reached_countries = authorities.values("country").distinct().count()
    coordinators = 0
    if procedure.routing == Procedure.Routing.COORDINATORS:
        coordinators = alert_coordinators(procedure, countries).count()
    return {
        "authorities": count,
        "officials": officials,
        "countries": reached_countries,
        "coordinators": coordinators,
        "routing": procedure.routing,
    }


# --- helpers -----------------------------------------------------------------------------------


def _locked(alert: Alert) -> Alert:
    return (
        Alert.objects.select_for_update(of=("self",))
        .select_related("procedure", "sender", "question_set")
        .get(pk=alert.pk)
    )


def _require(alert: Alert, *allowed: str) -> None:
    if alert.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the alert is “%(status)s”.")
            % {"status": alert.get_status_display()}
        )


def _sender_side(official: Official, alert: Alert) -> Authority:
    if not alert_access.acts_for(official, alert.sender_id):
        raise PermissionDenied(_("Only the sending authority may do this."))
    return alert.sender


def _text(value: str, *, field: str, limit: int, required: bool, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)s characters; this text has %(length)s.")
                % {"limit": f"{limit:,}", "length": f"{len(value):,}"}
            }
        )
    return value


def _record(
    alert: Alert,
    *,
    kind: str,
    official: Official,
    authority: Authority,
    body: str = "",
    to_sender_only: bool = False,
    **data,
) -> AlertEvent:
    event = AlertEvent.objects.create(
        alert=alert,
        kind=kind,
        official=official,
        authority=authority,
        body=body,
        language=official.language if body else "",
        to_sender_only=to_sender_only,
        data=data,
    )
    if body:
        translations.ask_for_alert_text(alert, body, event.language, event_id=event.pk)
    events.publish(
        [events.alert_group(alert.pk)],
        {"kind": "alert.event", "alert": alert.pk, "event": event.pk},
    )
    return event


def _translate_after_delivery(alert: Alert) -> None:
    """The subject and text are queued for translation once the alert has gone out:
    translation never delays delivery; each translation follows live."""
    transaction.on_commit(lambda: translations.ask_for_alert(alert))


def _tell_recipients(alert: Alert, kind: str) -> None:
    """Every authority the alert reached hears of a change to it."""
    authorities = list(
        AlertRecipient.objects.filter(alert=alert).values_list("authority_id", flat=True)
    )
    events.publish_to_authorities(
        [*authorities, alert.sender_id], {"kind": kind, "alert": alert.pk}
    )


def _clean_targets(procedure: Procedure, countries: Sequence[str], kinds: Sequence[str]):
    known = set(Country.objects.filter(code__in=list(countries)).values_list("code", flat=True))
    unknown = sorted(set(countries) - known)
    if unknown:
        raise ValidationError({"countries": _("Unknown countries: %s.") % ", ".join(unknown)})
    wrong = sorted(set(kinds) - set(procedure.receivers))
    if wrong:
        raise ValidationError(
            {"authority_kinds": _("This procedure does not reach these kinds of authority.")}
        )
    return sorted(known), sorted(set(kinds))


# --- the standard content: the procedure's questions, answered by the sender ----------------


def content_set(procedure: Procedure):
    """The current version of the procedure's question set, or None."""
    if not procedure.question_set:
        return None
    return card_services.current_set(procedure.question_set)


def _clean_content(question_set, answers: Mapping[str, Sequence[str]] | None) -> dict:
    """The answers checked by type, all or none: a refusal names each question."""
    if question_set is None:
        return {}
    asked = {q.code: q for q in question_set.schema.questions if q.type != "file"}
    answers = answers or {}
    if set(answers) - set(asked):
        raise ValidationError(_("These answers are to questions this alert does not ask."))
    cleaned, errors = card_services.clean_answers(asked, answers)
    shown = card_services.missing_answers(asked, cleaned, errors, submit=False)
    if errors:
        raise ValidationError(errors)
    return {code: value for code, value in cleaned.items() if code in shown}


def _require_content(alert: Alert) -> None:
    """An alert goes out only with every required question that applies answered."""
    if alert.question_set is None:
        return
    asked = {q.code: q for q in alert.question_set.schema.questions if q.type != "file"}
    errors: dict = {}
    card_services.missing_answers(asked, alert.answers, errors, submit=True)
    if errors:
        raise ValidationError(errors)


# --- drafting ----------------------------------------------------------------------------------


def startable_procedures(authority: Authority) -> list[Procedure]:
    """The alert and notification procedures the authority may send under."""
    procedures = Procedure.objects.filter(
        kind__in=[Procedure.Kind.ALERT, Procedure.Kind.NOTIFICATION],
        is_active=True,
        policy_area__in=authority.policy_areas.all(),
    ).select_related("policy_area")
    return [p for p in procedures if authority.kind in p.starters]


def _check_procedure(procedure: Procedure, sender: Authority) -> None:
    if procedure.kind not in (Procedure.Kind.ALERT, Procedure.Kind.NOTIFICATION):
        raise ValidationError({"procedure": _("Choose an alert or notification procedure.")})
    if (
        not procedure.is_active
        or sender.kind not in procedure.starters
        or not sender.policy_areas.filter(pk=procedure.policy_area_id).exists()
    ):
        raise ValidationError({"procedure": _("Your authority may not send under this procedure.")})


@transaction.atomic
def create_alert(
    *,
    official: Official,
    sender: Authority,
    procedure: Procedure,
    subject: str,
    body: str = "",
    urgency: str = Alert.Urgency.NORMAL,
    countries: Sequence[str] = (),
    authority_kinds: Sequence[str] = (),
    answers: Mapping[str, Sequence[str]] | None = None,
) -> Alert:
    """A draft: it needs a procedure and a subject to be saved; recipients, a text and
    the required standard content to be sent. `answers`: question code → raw values."""
    if not alert_access.acts_for(official, sender.pk):
        raise PermissionDenied(_("Only a handler of your authority may write alerts for it."))
    if not sender.is_active:
        raise PermissionDenied(_("Your authority must be approved before it sends alerts."))
    _check_procedure(procedure, sender)
    countries, kinds = _clean_targets(procedure, countries, authority_kinds or procedure.receivers)
    question_set = content_set(procedure)
    cleaned = _clean_content(question_set, answers)
    alert = Alert.objects.create(
        number=f"new-{secrets.token_hex(6)}",  # numbered from its id just below
        procedure=procedure,
        sender=sender,
        created_by=official,
        urgency=urgency if urgency in Alert.Urgency.values else Alert.Urgency.NORMAL,
        subject=_text(
            subject,
            field="subject",
            limit=Alert.SUBJECT_MAX,
            required=True,
            message=_("Give the alert a subject."),
        ),
        body=_text(body, field="body", limit=Alert.TEXT_MAX, required=False),
        language=official.language,
        countries=countries,
        authority_kinds=kinds,
        question_set=question_set,
        answers=cleaned,
    )
    alert.number = f"ALR-{alert.created_at.year}-{alert.pk:06d}"
    alert.save(update_fields=["number"])
    return alert


@transaction.atomic
def update_draft(
    *,
    official: Official,
    alert: Alert,
    subject: str,
    body: str,
    urgency: str,
    countries: Sequence[str],
    authority_kinds: Sequence[str],
    answers: Mapping[str, Sequence[str]] | None = None,
) -> Alert:
    alert = _locked(alert)
    _sender_side(official, alert)
    _require(alert, Status.DRAFT)
    if alert.question_set is None:
        alert.question_set = content_set(alert.procedure)
    alert.answers = _clean_content(alert.question_set, answers)
    alert.countries, alert.authority_kinds = _clean_targets(
        alert.procedure, countries, authority_kinds
    )
    alert.subject = _text(
        subject,
        field="subject",
        limit=Alert.SUBJECT_MAX,
        required=True,
        message=_("Give the alert a subject."),
    )
    alert.body = _text(body, field="body", limit=Alert.TEXT_MAX, required=False)
    alert.urgency = urgency if urgency in Alert.Urgency.values else Alert.Urgency.NORMAL
    alert.language = official.language
    alert.save()
    return alert


# --- sending, validation, broadcast --------------------------------------------------------------


def _first_reach(alert: Alert) -> QuerySet[Authority]:
    if alert.procedure.routing == Procedure.Routing.COORDINATORS:
        return alert_coordinators(alert.procedure, alert.countries)
    return concerned_authorities(alert.procedure, alert.countries, alert.authority_kinds)


def _require_recipients(alert: Alert) -> None:
    if not alert.countries:
        raise ValidationError({"countries": _("Choose at least one country.")})
    if not alert.authority_kinds:
        raise ValidationError({"authority_kinds": _("Choose at least one kind of authority.")})
    if not _first_reach(alert).exists():
        raise ValidationError(
            {"countries": _("No authority would receive this alert: widen the choice.")}
        )
    if not alert.body:
        raise ValidationError({"body": _("Say what the alert is about.")})
    _require_content(alert)


@transaction.atomic
def submit_alert(*, official: Official, alert: Alert) -> Alert:
    """Sends the draft: through the sender's national coordinator when the procedure
    says so for its kind of authority, else broadcast at once."""
    alert = _locked(alert)
    authority = _sender_side(official, alert)
    _require(alert, Status.DRAFT)
    _require_recipients(alert)
    alert.submitted_at = timezone.now()
    if alert.sender.kind in alert.procedure.validated:
        alert.status = Status.VALIDATION
        alert.save(update_fields=["status", "submitted_at"])
        _record(alert, kind=Kind.SUBMITTED, official=official, authority=authority)
        validators = alert_access.validating_authorities(alert)
        events.publish(
            [events.authority_group(pk) for pk in validators.values_list("pk", flat=True)],
            {"kind": "alert.waiting", "alert": alert.pk},
        )
        return alert
    alert.save(update_fields=["submitted_at"])
    return _broadcast(alert, official=official, authority=authority)


@transaction.atomic
def validate_alert(*, official: Official, alert: Alert, approve: bool, reason: str = "") -> Alert:
    """The national coordinator broadcasts it, or returns it to the sender with a reason."""
    alert = _locked(alert)
    authority = alert_access.validator_for(official, alert)
    if authority is None:
        raise PermissionDenied(_("Only the sender's national coordinator validates this alert."))
    _require(alert, Status.VALIDATION)
    if approve:
        _require_recipients(alert)  # the directory may have changed since it was sent
        return _broadcast(alert, official=official, authority=authority)
    reason = _text(
        reason,
        field="reason",
        limit=REASON_MAX,
        required=True,
        message=_("Say why the alert goes back to its sender."),
    )
    alert.status = Status.DRAFT
    alert.save(update_fields=["status"])
    _record(alert, kind=Kind.RETURNED, official=official, authority=authority, body=reason)
    _tell_recipients(alert, "alert.changed")
    return alert


def _broadcast(alert: Alert, *, official: Official, authority: Authority) -> Alert:
    now = timezone.now()
    alert.status = Status.BROADCAST
    alert.broadcast_at = now
    alert.save(update_fields=["status", "broadcast_at"])
    AlertVersion.objects.create(
        alert=alert,
        number=alert.version,
        subject=alert.subject,
        body=alert.body,
        language=alert.language,
        changed_by=alert.created_by,
    )
    if alert.procedure.routing == Procedure.Routing.COORDINATORS:
        AlertCountry.objects.bulk_create(
            [AlertCountry(alert=alert, country_id=code) for code in alert.countries]
        )
        reached = _reach(alert, _first_reach(alert), role=Role.COORDINATOR, at=now)
    else:
        reached = _reach(alert, _first_reach(alert), role=Role.AUTHORITY, at=now)
    _record(alert, kind=Kind.BROADCAST, official=official, authority=authority, reached=reached)
    _translate_after_delivery(alert)
    return alert


def _reach(alert: Alert, authorities: QuerySet[Authority], *, role: str, at) -> int:
    """Adds the authorities not reached yet as recipients, in one INSERT … SELECT (twelve
    thousand rows cost the database, not Python), and tells each one's authority group."""
    # No ordering: a DISTINCT query would select its ordering columns too.
    new = (
        authorities.exclude(
            pk__in=AlertRecipient.objects.filter(alert=alert).values("authority_id")
        )
        .order_by()
        .values_list("pk", "country_id")
    )
    reached = [pk for pk, _country in new]
    if not reached:
        return 0
    select, params = new.query.sql_with_params()
    columns = "alert_id, role, reached_at, authority_id, country_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AlertRecipient._meta.db_table} ({columns}) "  # noqa: S608 - no input
            f"SELECT %s, %s, %s, chosen.* FROM ({select}) AS chosen",
            [alert.pk, role, connection.ops.adapt_datetimefield_value(at), *params],
        )
    events.publish_to_authorities(reached, {"kind": "alert.reached", "alert": alert.pk})
    return len(reached)


@transaction.atomic
def disseminate(
    *,
    official: Official,
    alert: Alert,
    country: str,
    authority_ids: Sequence[int] | None = None,
) -> int:
    """An alert coordinator of a receiving country passes the alert on to the authorities
    concerned there: all of them, or those chosen. Returns how many it newly reached."""
    alert = _locked(alert)
    _require(alert, Status.BROADCAST)
    if alert.procedure.routing != Procedure.Routing.COORDINATORS:
        raise ValidationError(_("This alert went to the authorities concerned directly."))
    authority = alert_access.country_coordinator_for(official, alert, country)
    if authority is None:
        raise PermissionDenied(_("Only an alert coordinator of that country passes it on."))
    route = AlertCountry.objects.select_for_update().filter(alert=alert, country_id=country).first()
    if route is None:
        raise ValidationError(_("This alert was not sent to that country."))
    concerned = concerned_authorities(alert.procedure, [country], alert.authority_kinds)
    if authority_ids is not None:
        chosen = {int(pk) for pk in authority_ids}
        if not chosen:
            raise ValidationError({"authorities": _("Choose at least one authority.")})
        found = set(concerned.filter(pk__in=chosen).values_list("pk", flat=True))
        if found != chosen:
            raise ValidationError(
                {"authorities": _("Some chosen authorities are not concerned by this alert.")}
            )
        concerned = concerned.filter(pk__in=chosen)
    now = timezone.now()
    reached = _reach(alert, concerned, role=Role.AUTHORITY, at=now)
    if route.disseminated_at is None:
        route.disseminated_at = now
        route.disseminated_by = official
        route.save(update_fields=["disseminated_at", "disseminated_by"])
    _record(
        alert,
        kind=Kind.DISSEMINATED,
        official=official,
        authority=authority,
        country=country,
        reached=reached,
    )
    _translate_after_delivery(alert)
    return reached


# --- recipients ----------------------------------------------------------------------------------


@transaction.atomic
def acknowledge(*, official: Official, alert: Alert) -> int:
    """Her authorities reached by the alert acknowledge it (at its current version)."""
    alert = _locked(alert)
    if alert.status == Status.WITHDRAWN:
        raise ValidationError(_("This alert was withdrawn: there is nothing to acknowledge."))
    _require(alert, Status.BROADCAST)
    authorities = [
        pk
        for pk in alert_access.acting_authorities(official)
        if AlertRecipient.objects.filter(alert=alert, authority_id=pk).exists()
    ]
    if not authorities:
        raise PermissionDenied(
            _("Only a handler of an authority the alert reached acknowledges it.")
        )
    done = AlertRecipient.objects.filter(
        alert=alert, authority_id__in=authorities, acknowledged_at__isnull=True
    ).update(
        acknowledged_at=timezone.now(), acknowledged_by=official, acknowledged_version=alert.version
    )
    if not done:
        raise ValidationError(_("Your authority has already acknowledged this alert."))
    events.publish([events.alert_group(alert.pk)], {"kind": "alert.tracking", "alert": alert.pk})
    events.publish(
        [events.authority_group(pk) for pk in authorities],
        {"kind": "alert.acknowledged", "alert": alert.pk},
    )
    return done


@transaction.atomic
def comment(*, official: Official, alert: Alert, body: str) -> AlertEvent:
    """A comment: read by every recipient, or by the sender only, as the procedure says."""
    alert = _locked(alert)
    _require(alert, Status.BROADCAST)
    authority = alert_access.writing_authority(official, alert)
    if authority is None:
        raise PermissionDenied(_("Only the sender and the authorities reached may comment."))
    body = _text(
        body, field="body", limit=COMMENT_MAX, required=True, message=_("Write a comment first.")
    )
    private = (
        alert.procedure.comments == Procedure.Comments.SENDER and authority.pk != alert.sender_id
    )
    return _record(
        alert,
        kind=Kind.COMMENT,
        official=official,
        authority=authority,
        body=body,
        to_sender_only=private,
    )


# --- the sender after broadcast ------------------------------------------------------------


@transaction.atomic
def modify(*, official: Official, alert: Alert, subject: str, body: str, note: str = "") -> Alert:
    """A new version; the earlier ones stay, and recipients see what changed."""
    alert = _locked(alert)
    authority = _sender_side(official, alert)
    _require(alert, Status.BROADCAST)
    subject = _text(
        subject,
        field="subject",
        limit=Alert.SUBJECT_MAX,
        required=True,
        message=_("Give the alert a subject."),
    )
    body = _text(
        body, field="body", limit=Alert.TEXT_MAX, required=True, message=_("Say what changed.")
    )
    changed = [
        name
        for name, value in (("subject", subject), ("body", body))
        if value != getattr(alert, name)
    ]
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    note = _text(note, field="note", limit=REASON_MAX, required=False)
    alert.version += 1
    alert.subject, alert.body, alert.language = subject, body, official.language
    alert.save(update_fields=["version", "subject", "body", "language"])
    AlertVersion.objects.create(
        alert=alert,
        number=alert.version,
        subject=subject,
        body=body,
        language=official.language,
        note=note,
        changed_by=official,
    )
    _record(
        alert,
        kind=Kind.MODIFIED,
        official=official,
        authority=authority,
        body=note,
        version=alert.version,
        changed=changed,
    )
    _tell_recipients(alert, "alert.changed")
    _translate_after_delivery(alert)
    return alert


def _end(official: Official, alert: Alert, *, status: str, kind: str, reason: str) -> Alert:
    alert = _locked(alert)
    authority = _sender_side(official, alert)
    allowed = (
        (Status.BROADCAST, Status.VALIDATION) if status == Status.WITHDRAWN else (Status.BROADCAST,)
    )
    _require(alert, *allowed)
    alert.status = status
    alert.ended_at = timezone.now()
    alert.end_reason = reason
    alert.save(update_fields=["status", "ended_at", "end_reason"])
    _record(alert, kind=kind, official=official, authority=authority, body=reason)
    _tell_recipients(alert, "alert.changed")
    return alert


@transaction.atomic
def withdraw(*, official: Official, alert: Alert, reason: str) -> Alert:
    reason = _text(
        reason,
        field="reason",
        limit=REASON_MAX,
        required=True,
        message=_("Say why the alert is withdrawn."),
    )
    return _end(official, alert, status=Status.WITHDRAWN, kind=Kind.WITHDRAWN, reason=reason)


@transaction.atomic
def close(*, official: Official, alert: Alert, reason: str = "") -> Alert:
    reason = _text(reason, field="reason", limit=REASON_MAX, required=False)
    return _end(official, alert, status=Status.CLOSED, kind=Kind.CLOSED, reason=reason)


@transaction.atomic
def rectify(*, official: Official, alert: Alert, body: str) -> AlertEvent:
    """After closure or withdrawal, the sender corrects the record: every recipient
    reads the rectification."""
    alert = _locked(alert)
    authority = _sender_side(official, alert)
    _require(alert, Status.CLOSED, Status.WITHDRAWN)
    body = _text(
        body,
        field="body",
        limit=COMMENT_MAX,
        required=True,
        message=_("Write the rectification first."),
    )
    event = _record(alert, kind=Kind.RECTIFIED, official=official, authority=authority, body=body)
    _tell_recipients(alert, "alert.changed")
    return event


@transaction.atomic
def remind(*, official: Official, alert: Alert, country: str = "") -> int:
    """Reminds the authorities that have not acknowledged yet (of one country, or all the
    sender's). The sender reminds anyone; a country's alert coordinator its own."""
    alert = _locked(alert)
    _require(alert, Status.BROADCAST)
    silent = AlertRecipient.objects.filter(alert=alert, acknowledged_at__isnull=True)
    if alert_access.acts_for(official, alert.sender_id):
        authority = alert.sender
    else:
        authority = alert_access.country_coordinator_for(official, alert, country)
        if authority is None:
            raise PermissionDenied(
                _("Only the sender, or an alert coordinator of that country, sends reminders.")
            )
    if country:
        silent = silent.filter(country_id=country)
    targets = list(silent.values_list("authority_id", flat=True))
    if not targets:
        raise ValidationError(_("Every authority reached has acknowledged: nobody to remind."))
    silent.update(reminded_at=timezone.now())
    _record(
        alert,
        kind=Kind.REMINDED,
        official=official,
        authority=authority,
        country=country,
        reminded=len(targets),
    )
    events.publish_to_authorities(targets, {"kind": "alert.reminder", "alert": alert.pk})
    return len(targets)
