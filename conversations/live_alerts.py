"""Alerts over the page's one socket (a part of conversations.consumers.LiveConsumer).

Protocol (JSON from the page):
- {"type": "alerts", "after": 41}: sent on every (re)connection with the newest alert the
  page has announced; the socket answers with the header's count and a notice for each
  alert waiting for her that came after 41: what she missed while away.
- {"type": "watch_alert", "alert": 7, "after": 120}: the page shows alert 7 and has seen
  its thread up to entry 120; the socket joins the alert's group and replays the rest.

An alert reaching thousands of authorities arrives as one small event per authority
group. Each socket answers from memory: the notice is rendered once per process for each
alert, language and time zone, and the header's count is kept on the socket.
"""

import asyncio
import time
from collections import OrderedDict

from channels.db import database_sync_to_async

from conversations import alert_access, events, translations
from conversations.models import Alert, NotificationPreference
from conversations.models.alerts import AlertEvent

# A rendered notice is reused for this many seconds (its subject's translation may land).
NOTICE_TTL = 10
RECENT_NOTICES = 256
# Missed alerts announced on reconnection, newest first; the list page holds the rest.
CATCH_UP_NOTICES = 5
# The acknowledgement count of a watched alert is redrawn at most this often.
TRACKING_EVERY = 0.5
_notices: OrderedDict[tuple, tuple[float, str, str]] = OrderedDict()
_rendering: dict[tuple, asyncio.Future] = {}
_badges: dict[tuple, str] = {}

STEPS_REDRAWING = {
    AlertEvent.Kind.BROADCAST,
    AlertEvent.Kind.RETURNED,
    AlertEvent.Kind.MODIFIED,
    AlertEvent.Kind.WITHDRAWN,
    AlertEvent.Kind.CLOSED,
    AlertEvent.Kind.DISSEMINATED,
}


class AlertsLive:
    """Mixed into the LiveConsumer: needs its `official`, `render`, `send`, `channel_layer`,
    `channel_name` and `groups_joined`."""

    async def start_alerts(self) -> None:
        self.watching_alerts: set[int] = set()
        self.tracking_due: dict[int, asyncio.Task] = {}
        self.unacknowledged, self.deliveries = await database_sync_to_async(self._alert_state)()

    def _alert_state(self) -> tuple[set[int], dict[str, str]]:
        deliveries = dict(
            NotificationPreference.objects.filter(official=self.official).values_list(
                "kind", "delivery"
            )
        )
        return alert_access.unacknowledged_ids(self.official), deliveries

    def _live(self, kind: str) -> bool:
        return self.deliveries.get(kind, NotificationPreference.Delivery.LIVE) == "live"

    async def receive_alerts(self, message: dict) -> bool:
        """Handles the page's alert messages; False when the message is not one."""
        kind = message.get("type")
        if kind == "alerts":
            await self.catch_up_alerts(whole_number(message.get("after")))
        elif kind == "watch_alert":
            await self.watch_alert(
                whole_number(message.get("alert")), whole_number(message.get("after"))
            )
        else:
            return False
        return True

    async def catch_up_alerts(self, after: int) -> None:
        fragments = [self._badge(signal=True)]
        missed = sorted((pk for pk in self.unacknowledged if pk > after), reverse=True)
        for alert_id in missed[:CATCH_UP_NOTICES]:
            notice, kind = await self._notice(alert_id, "new")
            if notice and self._live(kind):
                fragments.append(notice)
        await self.send(text_data="".join(fragments))

    async def watch_alert(self, alert_id: int, after: int) -> None:
        group = events.alert_group(alert_id)
        if alert_id not in self.watching_alerts:
            await self.channel_layer.group_add(group, self.channel_name)
        replay = await database_sync_to_async(self._alert_replay)(alert_id, after)
        if replay is None:
            if alert_id not in self.watching_alerts:
                await self.channel_layer.group_discard(group, self.channel_name)
            return
        if alert_id not in self.watching_alerts:
            self.watching_alerts.add(alert_id)
            self.groups_joined.append(group)
        if replay:
            await self.send(text_data=replay)

    # --- events --------------------------------------------------------------------------

    async def alert_event(self, event: dict) -> None:
        kind, alert_id = event["kind"], event["alert"]
        fragment = ""
        if kind in ("alert.reached", "alert.reminder", "alert.waiting"):
            if kind != "alert.waiting":
                self.unacknowledged.add(alert_id)
            notice, procedure_kind = await self._notice(
                alert_id, {"alert.reached": "new", "alert.reminder": "reminder"}.get(kind, "new")
            )
            if notice and self._live(procedure_kind):
                fragment += notice
            fragment += self._badge(signal=True)
        elif kind == "alert.acknowledged":
            self.unacknowledged.discard(alert_id)
            fragment = self._badge(signal=True)
            if alert_id in self.watching_alerts:
                fragment += await database_sync_to_async(self._alert_panels)(alert_id)
        elif kind == "alert.changed":
            live = await database_sync_to_async(self._still_live)(alert_id)
            if not live:
                self.unacknowledged.discard(alert_id)
            notice, procedure_kind = await self._notice(alert_id, "changed")
            if notice and self._live(procedure_kind):
                fragment += notice
            fragment += self._badge(signal=True)
        elif alert_id not in self.watching_alerts:
            return
        elif kind == "alert.event":
            fragment = await database_sync_to_async(self._alert_entry)(alert_id, event["event"])
        elif kind == "alert.tracking":
            self._tracking_soon(alert_id)
        elif kind == "translation.ready" and event["target_language"] == self.official.language:
            fragment = await database_sync_to_async(self._alert_translated)(event)
        if fragment:
            await self.send(text_data=fragment)

    def _tracking_soon(self, alert_id: int) -> None:
        """Acknowledgements come in bursts: the count is redrawn once per burst."""
        if alert_id in self.tracking_due:
            return

        async def later() -> None:
            await asyncio.sleep(TRACKING_EVERY)
            self.tracking_due.pop(alert_id, None)
            fragment = await database_sync_to_async(self._alert_tracking)(alert_id)
            if fragment:
                await self.send(text_data=fragment)

        self.tracking_due[alert_id] = asyncio.ensure_future(later())

    def stop_alerts(self) -> None:
        for task in getattr(self, "tracking_due", {}).values():
            task.cancel()

    # --- rendering -----------------------------------------------------------------------

    def _badge(self, *, signal: bool = False) -> str:
        """The header's count; the same few fragments serve every socket of the process."""
        key = (self.official.language, len(self.unacknowledged), signal)
        fragment = _badges.get(key)
        if fragment is None:
            fragment = self.render(
                "conversations/alerts/partials/badge.html",
                {"count": len(self.unacknowledged), "swap_oob": True},
            )
            if signal:  # an open list of alerts reloads itself
                fragment += '<div id="alert-signal" hx-swap-oob="true" hidden></div>'
            if len(_badges) > RECENT_NOTICES:
                _badges.clear()
            _badges[key] = fragment
        return fragment

    async def _notice(self, alert_id: int, why: str) -> tuple[str, str]:
        """The notice of an alert for this official, shared by the sockets of the process
        that read in her language and time zone: an alert reaching two thousand sockets
        at once is read and rendered once per language, the others wait for that one."""
        key = (alert_id, why, self.official.language, self.official.time_zone)
        cached = _notices.get(key)
        if cached is not None and time.monotonic() - cached[0] < NOTICE_TTL:
            return cached[1], cached[2]
        pending = _rendering.get(key)
        if pending is None:
            pending = asyncio.ensure_future(
                database_sync_to_async(self._render_notice)(alert_id, why)
            )
            _rendering[key] = pending
            try:
                notice, kind = await pending
            finally:
                _rendering.pop(key, None)
            if notice is not None:
                _notices[key] = (time.monotonic(), notice, kind)
                if len(_notices) > RECENT_NOTICES:
                    _notices.popitem(last=False)
        else:
            notice, kind = await asyncio.shield(pending)
        return (notice or ""), kind

    def _render_notice(self, alert_id: int, why: str) -> tuple[str | None, str]:
        alert = (
            Alert.objects.select_related("procedure")
            .only("id", "number", "subject", "language", "urgency", "procedure__kind")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None:
            return None, ""
        subject = translations.read_alert(alert, self.official, ask=False)["subject"]
        html = self.render(
            "conversations/alerts/partials/notice.html",
            {
                "alert": alert,
                "subject": subject,
                "reminder": why == "reminder",
                "changed": why == "changed",
            },
        )
        return html, alert.procedure.kind

    def _still_live(self, alert_id: int) -> bool:
        return Alert.objects.filter(pk=alert_id, status=Alert.Status.BROADCAST).exists()

    def _readable_alert(self, alert_id: int) -> Alert | None:
        self._fresh_official()
        alert = alert_access.alert_for(self.official, alert_id)
        if alert is None:
            self.watching_alerts.discard(alert_id)
        return alert

    def _alert_replay(self, alert_id: int, after: int) -> str | None:
        alert = self._readable_alert(alert_id)
        if alert is None:
            return None
        entries = alert_access.thread(self.official, alert, after=after)
        if not entries:
            return ""
        translations.read_alert_entries(entries, self.official, alert)
        html = self.render(
            "conversations/alerts/partials/thread_append.html",
            {"entries": entries, "alert": alert, "official": self.official},
        )
        return html + self._alert_panels(alert_id, alert=alert)

    def _alert_entry(self, alert_id: int, event_id: int) -> str:
        alert = self._readable_alert(alert_id)
        if alert is None:
            return ""
        entries = alert_access.thread(self.official, alert, after=event_id - 1)
        entries = [entry for entry in entries if entry.pk == event_id]
        if not entries:
            return ""  # a comment for the sender only, or gone
        translations.read_alert_entries(entries, self.official, alert)
        html = self.render(
            "conversations/alerts/partials/thread_append.html",
            {"entries": entries, "alert": alert, "official": self.official},
        )
        if entries[0].kind in STEPS_REDRAWING:
            html += self._alert_panels(alert_id, alert=alert)
        return html

    def _alert_context(self, alert: Alert) -> dict:
        from conversations.alert_views import page_context

        return {**page_context(alert, self.official), "swap_oob": True}

    def _alert_panels(self, alert_id: int, alert: Alert | None = None) -> str:
        """The parts of the page a step changes: status, text, her acknowledgement, what
        she may do, and the acknowledgement counts."""
        alert = alert or self._readable_alert(alert_id)
        if alert is None:
            return ""
        context = self._alert_context(alert)
        html = (
            self.render("conversations/alerts/partials/status.html", context)
            + self.render(
                "conversations/alerts/partials/subject.html",
                {**context, "reading": context["readings"]["subject"]},
            )
            + self.render(
                "conversations/alerts/partials/body.html",
                {**context, "reading": context["readings"]["body"]},
            )
            + self.render("conversations/alerts/partials/acknowledgement.html", context)
        )
        html += self.render("conversations/alerts/partials/actions.html", context)
        if context["tracks"] and alert.broadcast_at:
            html += self.render("conversations/alerts/partials/tracking.html", context)
        return html

    def _alert_tracking(self, alert_id: int) -> str:
        alert = self._readable_alert(alert_id)
        if alert is None:
            return ""
        from conversations.alert_views import tracking_context

        # Only the counts: a burst of acknowledgements redraws them, nothing else.
        context = {**tracking_context(alert, self.official), "swap_oob": True}
        if not (context["tracks"] and alert.broadcast_at):
            return ""
        return self.render("conversations/alerts/partials/tracking.html", context)

    def _alert_translated(self, event: dict) -> str:
        alert = self._readable_alert(event["alert"])
        if alert is None:
            return ""
        if "event" in event:
            entries = [
                e for e in alert_access.thread(self.official, alert) if e.pk == event["event"]
            ]
            if not entries:
                return ""
            translations.read_alert_entries(entries, self.official, alert)
            return self.render(
                "conversations/alerts/partials/entry.html",
                {"entry": entries[0], "alert": alert, "official": self.official, "swap_oob": True},
            )
        field = event.get("field")
        if field == "content":
            return self.render(
                "conversations/alerts/partials/content.html", self._alert_context(alert)
            )
        if field not in ("subject", "body"):
            return ""
        reading = translations.read_alert(alert, self.official)[field]
        return self.render(
            f"conversations/alerts/partials/{field}.html",
            {"reading": reading, "official": self.official, "swap_oob": True},
        )


def whole_number(value) -> int:
    """A non-negative integer from a page's message, or 0."""
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0
