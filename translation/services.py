"""Machine translation as a service to the rest of Liaison.

`request` and `request_many` ask for translations (what exists is returned, what is
missing is stored pending and queued after commit); `lookup` reads many at once for a
page; workers call `process` for one row and `sweep` now and then. Sending a message
never waits for a translation: a reader sees the original, marked, until it is ready.
"""

import json
import logging
import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from translation import events, queues
from translation.engine import NO_MODEL, Engine, Outcome, default_engine, has_words
from translation.languages import is_supported
from translation.models import Subscription, Translation, final, source_hash

logger = logging.getLogger(__name__)

Status = Translation.Status
Item = tuple[str, str]  # (text, source language)
Key = tuple[str, str, str]  # (source hash, source language, target language)
Notify = Sequence[tuple[str, dict]]  # (channel-layer group, payload of the event)

MAX_RETRY_DELAY = timedelta(hours=1)


def _needs_translation(text: str, source: str, target: str) -> bool:
    """A text without a letter (blank, emoji, a number) reads the same in every language."""
    return has_words(text) and source != target and is_supported(source) and is_supported(target)


def request(
    *, text: str, source: str, targets: Iterable[str], notify: Notify = ()
) -> dict[str, Translation | None]:
    """The translations of one text into each target language.

    Existing rows are returned as they are (done, pending, failed or no_model); missing
    ones are created pending and queued once the caller's transaction commits. None for a
    target that needs no translation (the source language, a text without a letter: blank,
    emoji, numbers). Each group in `notify` gets a `translation.ready` event, carrying its
    payload, when a row that is not final yet becomes final.
    """
    wanted = {
        (source_hash(text), source, target): text
        for target in dict.fromkeys(targets)
        if _needs_translation(text, source, target)
    }
    rows = _ensure(wanted, notify)
    return {target: rows.get((source_hash(text), source, target)) for target in targets}


def request_many(
    *, items: Iterable[Item], target: str, notify: Notify = ()
) -> dict[Item, Translation | None]:
    """`request` for many texts into one language: a page opened by a reader whose
    language nobody had asked for yet."""
    items = list(dict.fromkeys(items))
    wanted = {
        (source_hash(text), source, target): text
        for text, source in items
        if _needs_translation(text, source, target)
    }
    rows = _ensure(wanted, notify)
    return {(text, source): rows.get((source_hash(text), source, target)) for text, source in items}


def lookup(*, items: Iterable[Item], target: str) -> dict[Item, Translation]:
    """The stored translations into `target` of (text, source language) items, in one
    query; an item without a row is absent. For rendering a page of messages."""
    keys = {
        (source_hash(text), source): (text, source)
        for text, source in items
        if _needs_translation(text, source, target)
    }
    if not keys:
        return {}
    rows = Translation.objects.filter(
        target_language=target, source_hash__in={digest for digest, _ in keys}
    ).defer("source_text")
    return {
        keys[(row.source_hash, row.source_language)]: row
        for row in rows
        if (row.source_hash, row.source_language) in keys
    }


def _ensure(wanted: dict[Key, str], notify: Notify) -> dict[Key, Translation]:
    """Rows for every key, created if missing; subscriptions and jobs for those not final."""
    if not wanted:
        return {}
    rows = _rows(wanted)
    missing = [key for key in wanted if key not in rows]
    if missing:
        now = timezone.now()
        Translation.objects.bulk_create(
            [
                Translation(
                    source_hash=digest,
                    source_language=source,
                    target_language=target,
                    source_text=wanted[(digest, source, target)],
                    queued_at=now,
                )
                for digest, source, target in missing
            ],
            ignore_conflicts=True,  # another process may create the same row meanwhile
        )
        rows.update(_rows(missing))
    waiting = [row for row in rows.values() if not row.is_final]
    if notify and waiting:
        # An event that cannot travel as JSON fails here, where it was made.
        payloads = [(group, json.loads(json.dumps(payload))) for group, payload in notify]
        Subscription.objects.bulk_create(
            [
                Subscription(translation=row, group=group, payload=payload)
                for row in waiting
                for group, payload in payloads
            ]
        )
    pending = [row.pk for row in waiting if row.status == Status.PENDING]
    if pending:
        transaction.on_commit(lambda: queues.get_queue().submit(pending), robust=True)
    return rows


def _rows(keys: Iterable[Key]) -> dict[Key, Translation]:
    keys = set(keys)
    rows = Translation.objects.filter(
        source_hash__in={key[0] for key in keys}, target_language__in={key[2] for key in keys}
    )
    found = {(row.source_hash, row.source_language, row.target_language): row for row in rows}
    return {key: row for key, row in found.items() if key in keys}


def worker_name() -> str:
    """Who holds a claim: host and process, for an operator reading the table."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(translation_id: int, now: datetime) -> str | None:
    """Takes the row for this worker, atomically: one conditional UPDATE, which two
    workers cannot both win (PostgreSQL re-checks the condition after the row lock;
    SQLite runs one writer at a time). A claim older than TRANSLATION_CLAIM_TIMEOUT
    belongs to a worker that stopped and may be taken over."""
    token = f"{worker_name()}/{uuid.uuid4().hex[:8]}"
    expired = now - timedelta(seconds=settings.TRANSLATION_CLAIM_TIMEOUT)
    claimed = (
        Translation.objects.filter(
            pk=translation_id,
            status=Status.PENDING,
            attempts__lt=settings.TRANSLATION_MAX_ATTEMPTS,
        )
        .filter(Q(claimed_by="") | Q(claimed_at__lt=expired))
        .update(claimed_by=token, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )
    return token if claimed else None


def retry_delay(attempts: int) -> timedelta:
    """Doubles after each failed attempt, from TRANSLATION_RETRY_DELAY up to an hour."""
    delay = timedelta(seconds=settings.TRANSLATION_RETRY_DELAY * 2 ** max(0, attempts - 1))
    return min(delay, MAX_RETRY_DELAY)


def _result(row: Translation, outcome: Outcome, now: datetime) -> dict:
    fields = {
        "claimed_by": "",
        "claimed_at": None,
        "updated_at": now,
        "engine": outcome.engine,
        "model_version": outcome.model_version,
        "pivot": outcome.pivot,
        "next_attempt_at": None,
    }
    if outcome.ok:
        return {**fields, "status": Status.DONE, "text": outcome.text, "error": ""}
    if outcome.status == NO_MODEL:
        return {**fields, "status": Status.NO_MODEL, "text": "", "error": outcome.reason}
    fields.update(status=Status.FAILED, text="", error=outcome.reason)
    if row.attempts < settings.TRANSLATION_MAX_ATTEMPTS:
        fields["next_attempt_at"] = now + retry_delay(row.attempts)
    return fields


def process(translation_id: int, *, engine: Engine | None = None) -> Translation | None:
    """Translates one pending row if this worker wins its claim, stores the result once,
    and tells the subscribed groups; returns the row, or None when another worker had it."""
    token = _claim(translation_id, timezone.now())
    if token is None:
        deliver([translation_id])  # a row finished before this job ran still tells its readers
        return None
    row = Translation.objects.get(pk=translation_id)
    outcome = (engine or default_engine()).translate(
        row.source_text, row.source_language, row.target_language
    )
    result = _result(row, outcome, timezone.now())
    stored = Translation.objects.filter(pk=row.pk, claimed_by=token).update(**result)
    if not stored:
        logger.warning("Translation %s was taken over while it was translated", row.pk)
        deliver([row.pk])
        row.refresh_from_db()
        return row
    for name, value in result.items():  # the row as stored, without reading it again
        setattr(row, name, value)
    if row.is_final:
        # A row just translated was asked for by a page that nearly always subscribed:
        # no query first to see whether anyone did.
        deliver([row.pk], look_first=False)
    return row


def deliver(
    translation_ids: Iterable[int] | None = None, *, limit: int = 1000, look_first: bool = True
) -> int:
    """Sends `translation.ready` to the groups subscribed to final rows (to those of
    `translation_ids`, or any), once each: a subscription is deleted as it is sent.
    `look_first`: a cheap query first, sparing a write transaction when nobody waits."""
    subscriptions = Subscription.objects.filter(final("translation__"))
    if translation_ids is not None:
        subscriptions = subscriptions.filter(translation_id__in=list(translation_ids))
    if look_first and not subscriptions.exists():
        return 0
    with transaction.atomic():
        # PostgreSQL: two deliverers never send the same subscription. SQLite: one writer.
        batch = list(
            subscriptions.select_related("translation").select_for_update(
                skip_locked=True, of=("self",)
            )[:limit]
        )
        Subscription.objects.filter(pk__in=[subscription.pk for subscription in batch]).delete()
        messages = [
            (subscription.group, events.ready_event(subscription.translation, subscription.payload))
            for subscription in batch
        ]
        transaction.on_commit(lambda: events.send(messages), robust=True)
    return len(batch)


@dataclass(frozen=True)
class SweepReport:
    retried: int
    abandoned: int
    queued: list[int]
    delivered: int
    expired: int


def sweep(*, now: datetime | None = None) -> SweepReport:
    """Puts the pipeline back on its feet; safe to run in every process at once.

    Failed rows whose retry time has come become pending again; rows whose workers kept
    stopping mid-translation are given up; pending rows whose job was lost (never queued,
    queued longer ago than TRANSLATION_REQUEUE_AFTER, or claimed by a worker that stopped)
    are queued again, each by one sweeper only; final rows still subscribed are announced;
    subscriptions older than TRANSLATION_SUBSCRIPTION_TTL are dropped.
    """
    now = now or timezone.now()
    claim_expired = now - timedelta(seconds=settings.TRANSLATION_CLAIM_TIMEOUT)
    retried = Translation.objects.filter(status=Status.FAILED, next_attempt_at__lte=now).update(
        status=Status.PENDING, next_attempt_at=None, queued_at=None, updated_at=now
    )
    abandoned = (
        Translation.objects.filter(
            status=Status.PENDING,
            attempts__gte=settings.TRANSLATION_MAX_ATTEMPTS,
            claimed_at__lt=claim_expired,
        )
        .exclude(claimed_by="")
        .update(
            status=Status.FAILED,
            claimed_by="",
            claimed_at=None,
            error="The worker stopped while translating it.",
            updated_at=now,
        )
    )
    lost = (
        Translation.objects.filter(status=Status.PENDING)
        .filter(
            Q(queued_at__isnull=True)
            | Q(queued_at__lt=now - timedelta(seconds=settings.TRANSLATION_REQUEUE_AFTER))
        )
        .filter(Q(claimed_by="") | Q(claimed_at__lt=claim_expired))
    )
    candidates = list(
        lost.order_by(F("queued_at").asc(nulls_first=True)).values_list("pk", flat=True)[
            : settings.TRANSLATION_SWEEP_BATCH
        ]
    )
    queued: list[int] = []
    if candidates:
        # Stamped with this sweep's own time: the rows still carrying it are this sweep's.
        lost.filter(pk__in=candidates).update(queued_at=now)
        queued = list(
            Translation.objects.filter(pk__in=candidates, queued_at=now).values_list(
                "pk", flat=True
            )
        )
        if queued:
            queues.get_queue().submit(queued)
    delivered = deliver()
    expired, _ = Subscription.objects.filter(
        created_at__lt=now - timedelta(seconds=settings.TRANSLATION_SUBSCRIPTION_TTL)
    ).delete()
    return SweepReport(retried, abandoned, queued, delivered, expired)


def reopen_translatable(*, engine: Engine | None = None) -> int:
    """After a package is installed: rows that had no model and now have one (directly or
    through English) become pending again, for the next sweep to queue."""
    engine = engine or default_engine()
    waiting = Translation.objects.filter(status=Status.NO_MODEL)
    pairs = [
        pair
        for pair in waiting.values_list("source_language", "target_language").distinct()
        if engine.can_translate(*pair)
    ]
    if not pairs:
        return 0
    now_translatable = Q()
    for source, target in pairs:
        now_translatable |= Q(source_language=source, target_language=target)
    return waiting.filter(now_translatable).update(
        status=Status.PENDING, attempts=0, error="", queued_at=None, updated_at=timezone.now()
    )


def forget(*, items: Iterable[Item]) -> int:
    """Deletes every stored translation of these texts: the translations of a message
    whose personal data is erased go with it."""
    keys = {(source_hash(text), source) for text, source in items}
    if not keys:
        return 0
    condition = Q()
    for digest, source in keys:
        condition |= Q(source_hash=digest, source_language=source)
    _, deleted = Translation.objects.filter(condition).delete()
    return deleted.get(Translation._meta.label, 0)
