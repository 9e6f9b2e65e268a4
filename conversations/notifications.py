"""How each official hears of new exchanges, per kind (information requests, alerts,
notifications): live on screen, an e-mail digest hourly or daily in her language with
links, or not at all. Notification overload is the commonest complaint about IMI: the
choice is hers.

Digests are sent by `manage.py send_digests`, run every few minutes by the platform's
scheduler (cron, a systemd timer): each official with a digest due gets one mail
covering everything since her last one.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from conversations import alert_access, translations
from conversations.models import (
    AlertRecipient,
    NotificationPreference,
    Participant,
    Procedure,
    RequestEvent,
)
from directory import permissions as directory_permissions
from directory.models import Official

Delivery = NotificationPreference.Delivery
KINDS = Procedure.Kind
EVERY = {Delivery.HOURLY: timedelta(hours=1), Delivery.DAILY: timedelta(days=1)}
# A first digest looks back at most this far.
FIRST_LOOK_BACK = timedelta(days=1)
ITEMS_PER_KIND = 50


def preferences(official: Official) -> dict[str, str]:
    """Her choice per kind; live until she chooses otherwise."""
    chosen = dict(
        NotificationPreference.objects.filter(official=official).values_list("kind", "delivery")
    )
    return {kind: chosen.get(kind, Delivery.LIVE) for kind in KINDS.values}


@transaction.atomic
def choose(*, official: Official, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind not in KINDS.values or delivery not in Delivery.values:
            raise ValueError(f"{kind}: {delivery}")
        NotificationPreference.objects.update_or_create(
            official=official, kind=kind, defaults={"delivery": delivery}
        )


@dataclass
class Digest:
    official: Official
    since: datetime
    until: datetime
    requests: list = field(default_factory=list)  # (request, entries count)
    alerts: list = field(default_factory=list)  # alerts and notifications reached

    def __bool__(self) -> bool:
        return bool(self.requests or self.alerts)


def _request_items(official: Official, since: datetime, until: datetime) -> list:
    own = [m.authority_id for m in directory_permissions.memberships(official)]
    cases = Participant.objects.filter(authority_id__in=own).values("request_id")
    entries = (
        RequestEvent.objects.filter(
            request_id__in=cases, created_at__gt=since, created_at__lte=until
        )
        .exclude(author=official)
        .exclude(kind=RequestEvent.Kind.CREATED)
        .select_related("request")
        .order_by("request_id", "pk")
    )
    grouped: dict[int, list] = {}
    for entry in entries:
        grouped.setdefault(entry.request_id, []).append(entry)
    items = [(group[0].request, len(group)) for group in grouped.values()][:ITEMS_PER_KIND]
    translations.read_subjects([request for request, _count in items], official)
    return items


def _alert_items(official: Official, since: datetime, until: datetime, kinds: set[str]) -> list:
    own = alert_access.own_authorities(official)
    reached = (
        AlertRecipient.objects.filter(
            authority_id__in=own,
            reached_at__gt=since,
            reached_at__lte=until,
            alert__procedure__kind__in=kinds,
        )
        .select_related("alert__procedure", "alert__sender__country")
        .order_by("-alert__urgency", "reached_at")
    )
    alerts = list({row.alert_id: row.alert for row in reached}.values())[:ITEMS_PER_KIND]
    translations.read_alert_subjects(alerts, official)
    return alerts


def digest_for(official: Official, kinds: set[str], since: datetime, until: datetime) -> Digest:
    digest = Digest(official=official, since=since, until=until)
    if KINDS.REQUEST in kinds:
        digest.requests = _request_items(official, since, until)
    alert_kinds = kinds & {KINDS.ALERT, KINDS.NOTIFICATION}
    if alert_kinds:
        digest.alerts = _alert_items(official, since, until, alert_kinds)
    return digest


def send_digests(now: datetime | None = None) -> int:
    """Sends every digest that is due; returns how many mails went out."""
    now = now or timezone.now()
    sent = 0
    due: dict[int, list[NotificationPreference]] = {}
    for preference in NotificationPreference.objects.filter(
        delivery__in=list(EVERY), official__is_active=True
    ).select_related("official"):
        last = preference.digested_until
        if last is None or now - last >= EVERY[preference.delivery]:
            due.setdefault(preference.official_id, []).append(preference)
    for chosen in due.values():
        official = chosen[0].official
        since = min(p.digested_until or now - FIRST_LOOK_BACK for p in chosen)
        digest = digest_for(official, {p.kind for p in chosen}, since, now)
        if digest:
            _mail(digest)
            sent += 1
        NotificationPreference.objects.filter(pk__in=[p.pk for p in chosen]).update(
            digested_until=now
        )
    return sent


def _mail(digest: Digest) -> None:
    official = digest.official
    with translation.override(official.language), timezone.override(official.time_zone):
        context = {"digest": digest, "official": official, "base_url": settings.LIAISON_BASE_URL}
        subject = render_to_string("conversations/email/digest_subject.txt", context).strip()
        body = render_to_string("conversations/email/digest.txt", context)
    send_mail(subject, body, None, [official.email])
