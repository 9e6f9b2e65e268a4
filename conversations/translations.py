"""Each official reads a request in her own language: the free texts of its thread (and
its subject and description) machine-translated by `translation/`, the original always
one click away. Sending never waits: a translation is asked for when a text is written,
and arrives live, as a `translation.ready` event to the request's pages.
"""

from dataclasses import dataclass

from django.db.models import Q

from conversations import events
from conversations.models import InformationRequest, Participant, RequestEvent
from conversations.questions import FREE_TEXT
from directory.models import Official
from translation import services as translation
from translation.models import Translation

Status = Translation.Status


def reader_languages(request: InformationRequest) -> set[str]:
    """The languages of the officials who can read the request: those of the authorities
    taking part (a coordinator called in takes part too)."""
    authorities = [request.requester_id]
    if request.status != InformationRequest.Status.DRAFT:  # one query, with a subquery
        authorities = Participant.objects.filter(request=request).values("authority_id")
    return set(
        Official.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__authority_id__in=authorities,
        )
        .values_list("language", flat=True)
        .distinct()
    )


def ask_for_entry(request: InformationRequest, entry: RequestEvent) -> None:
    """A new entry with text: its translation into every reader's language is queued."""
    if entry.body:
        translation.request(
            text=entry.body,
            source=entry.language,
            targets=reader_languages(request),
            notify=[(events.request_group(request.pk), {"request": request.pk, "event": entry.pk})],
        )


def ask_for_text(request: InformationRequest, text: str, language: str, *, event_id: int) -> None:
    """Another text shown in an entry (a card's written answer): the entry is shown again,
    translated, when ready."""
    translation.request(
        text=text,
        source=language,
        targets=reader_languages(request),
        notify=[(events.request_group(request.pk), {"request": request.pk, "event": event_id})],
    )


def ask_for_request(request: InformationRequest) -> None:
    """The subject and description, once they are written or changed."""
    languages = reader_languages(request)
    for field in ("subject", "description"):
        text = getattr(request, field)
        if text:
            translation.request(
                text=text,
                source=request.language,
                targets=languages,
                notify=[
                    (events.request_group(request.pk), {"request": request.pk, "field": field})
                ],
            )


@dataclass(frozen=True)
class Reading:
    """A text as one official reads it: translated, still translating, or the original
    because no translation is available (yet)."""

    original: str
    language: str  # of the original
    text: str  # what she reads first
    state: str  # "original" (hers, or no need), "translated", "pending", "unavailable"

    @property
    def translated(self) -> bool:
        return self.state == "translated"


def _reading(original: str, language: str, row: Translation | None) -> Reading:
    if row is None:
        return Reading(original, language, original, "original")
    if row.status == Status.DONE:
        return Reading(original, language, row.text, "translated")
    if row.status == Status.PENDING:
        return Reading(original, language, original, "pending")
    return Reading(original, language, original, "unavailable")


def _needs(text: str, language: str, reader: Official) -> bool:
    return bool(text) and bool(language) and language != reader.language


@dataclass(frozen=True)
class _Text:
    text: str
    language: str
    own: bool  # the reader wrote it: she reads it as written
    payload: dict | None  # what the request's pages hear when a missing translation is ready


def _read(texts: list[_Text], reader: Official, group: str | None) -> list[Reading]:
    """The texts as the reader reads them, looked up in one query. A missing translation
    with a payload is asked for now (a reader whose language nobody had asked for yet)
    and reaches the pages of `group` live; without one, the original shows."""
    wanted = {
        index
        for index, text in enumerate(texts)
        if _needs(text.text, text.language, reader) and not text.own
    }
    found = translation.lookup(
        items=[(texts[index].text, texts[index].language) for index in wanted],
        target=reader.language,
    )
    readings = []
    for index, text in enumerate(texts):
        row = found.get((text.text, text.language)) if index in wanted else None
        if index in wanted and row is None and text.payload is not None:
            row = translation.request(
                text=text.text,
                source=text.language,
                targets=[reader.language],
                notify=[(group, text.payload)],
            )[reader.language]
        readings.append(_reading(text.text, text.language, row))
    return readings


def read_entries(
    entries: list[RequestEvent], reader: Official, request: InformationRequest
) -> list[RequestEvent]:
    """Sets `entry.reading` on each entry, in the reader's language."""
    texts = [
        _Text(
            entry.body,
            entry.language,
            own=entry.author_id == reader.pk,
            payload={"request": request.pk, "event": entry.pk},
        )
        for entry in entries
    ]
    group = events.request_group(request.pk)
    for entry, reading in zip(entries, _read(texts, reader, group), strict=True):
        entry.reading = reading
    return entries


def read_texts(
    texts: list[str], language: str, reader: Official, *, own: bool = False
) -> list[Reading]:
    """Other texts of one language (a card's written answers) as the reader reads them:
    only what is stored; they were asked for when written."""
    return _read([_Text(text, language, own=own, payload=None) for text in texts], reader, None)


def read_subjects(requests: list[InformationRequest], reader: Official) -> None:
    """Sets `subject_reading` on each request of an inbox page. Only what is stored
    already: the translations were asked for when the requests were sent."""
    texts = [
        _Text(r.subject, r.language, own=r.created_by_id == reader.pk, payload=None)
        for r in requests
    ]
    for request, reading in zip(requests, _read(texts, reader, None), strict=True):
        request.subject_reading = reading


def read_request(request: InformationRequest, reader: Official) -> dict[str, Reading]:
    """The subject and description as the reader reads them."""
    fields = ("subject", "description")
    texts = [
        _Text(
            getattr(request, field),
            request.language,
            own=request.created_by_id == reader.pk,
            payload={"request": request.pk, "field": field},
        )
        for field in fields
    ]
    readings = _read(texts, reader, events.request_group(request.pk))
    return dict(zip(fields, readings, strict=True))


# --- alerts: the subject, text and comments, in the language of everyone reached ------------


def alert_reader_languages(alert) -> set[str]:
    from conversations.models.alerts import AlertRecipient

    authorities = AlertRecipient.objects.filter(alert=alert).values("authority_id")
    return set(
        Official.objects.filter(is_active=True, memberships__is_active=True)
        .filter(
            Q(memberships__authority_id__in=authorities)
            | Q(memberships__authority_id=alert.sender_id)
        )
        .values_list("language", flat=True)
        .distinct()
    )


def ask_for_alert(alert) -> None:
    """The subject, text and written answers of the alert as it stands, for everyone it
    reached."""
    languages = alert_reader_languages(alert)
    texts = [(field, getattr(alert, field)) for field in ("subject", "body")]
    if alert.question_set is not None:
        written = {q.code for q in alert.question_set.schema.questions if q.type in FREE_TEXT}
        texts += [("content", value) for code, value in alert.answers.items() if code in written]
    for field, text in texts:
        if text and isinstance(text, str):
            translation.request(
                text=text,
                source=alert.language,
                targets=languages,
                notify=[(events.alert_group(alert.pk), {"alert": alert.pk, "field": field})],
            )


def ask_for_alert_text(alert, text: str, language: str, *, event_id: int) -> None:
    """A comment or a step's reason on the alert's thread."""
    translation.request(
        text=text,
        source=language,
        targets=alert_reader_languages(alert),
        notify=[(events.alert_group(alert.pk), {"alert": alert.pk, "event": event_id})],
    )


def read_alert(alert, reader: Official, *, ask: bool = True) -> dict[str, Reading]:
    """The subject and text of an alert as the reader reads them. `ask`: a missing
    translation into her language is asked for now (not for a notice)."""
    fields = ("subject", "body")
    texts = [
        _Text(
            getattr(alert, field),
            alert.language,
            own=False,
            payload={"alert": alert.pk, "field": field} if ask else None,
        )
        for field in fields
    ]
    readings = _read(texts, reader, events.alert_group(alert.pk))
    return dict(zip(fields, readings, strict=True))


def read_alert_entries(entries: list, reader: Official, alert) -> list:
    """Sets `entry.reading` on each entry of an alert's thread."""
    texts = [
        _Text(
            entry.body,
            entry.language,
            own=entry.official_id == reader.pk,
            payload={"alert": alert.pk, "event": entry.pk},
        )
        for entry in entries
    ]
    group = events.alert_group(alert.pk)
    for entry, reading in zip(entries, _read(texts, reader, group), strict=True):
        entry.reading = reading
    return entries


def read_alert_subjects(alerts: list, reader: Official) -> None:
    """Sets `subject_reading` on each alert of a list: only what is stored already."""
    texts = [_Text(a.subject, a.language, own=False, payload=None) for a in alerts]
    for alert, reading in zip(alerts, _read(texts, reader, None), strict=True):
        alert.subject_reading = reading
