"""The page's one WebSocket: it carries every live update to one signed-in official.

Protocol (JSON from the page, HTML fragments with hx-swap-oob back):
- {"type": "here" | "typing", "request": 12}: she still has the request open, or is
  writing; the request's other pages show who else is looking, and who is writing.
- on connect, the official joins her own group and her authorities' groups (inbox, badge);
- {"type": "watch", "request": 12, "after": 345}: the page shows request 12 and has seen
  its thread up to event 345. If she may read it, the socket joins the request's group
  and replays every entry after 345 from the database: a reconnecting page catches up.
- {"type": "read", "request": 12, "up_to": 350}: she has seen the thread up to 350.
- alerts: see conversations.live_alerts.
"""

import copy
import json
import logging
import time
from collections import OrderedDict

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from conversations import events, fanout, selectors, translations
from conversations.live_alerts import AlertsLive, whole_number
from conversations.models import Card, InformationRequest, RequestEvent
from conversations.panels import panel_context
from conversations.services import cards as card_services
from conversations.services import requests as services
from directory import permissions as directory_permissions

logger = logging.getLogger(__name__)

# Close code for a socket without a signed-in official (the 4000-4999 range is the
# application's own). Refused before the handshake completes, the browser sees 1006.
UNAUTHENTICATED = 4401
# A thread replayed on reconnection is sent in pieces of this many entries.
REPLAY_BATCH = 50
# Seconds a watching socket trusts its last access check for plain messages.
ACCESS_RECHECK = 30
# Presence is coarse on purpose: pages re-announce every 30 s (static/js/requests.js),
# are forgotten after 75 s of silence; "writing" shows for 6 s after the last keystroke
# announced, and keystrokes are announced at most every 3 s.
PRESENCE_TIMEOUT = 75
TYPING_EVERY = 3
TYPING_SHOWN = 6
# Every socket watching a request renders each new entry for its own official; the
# sockets of one process share one read of it. Entries are immutable once written; the
# question card an entry shows is not, so card entries are always read afresh.
RECENT_ENTRIES = 512
_recent_entries: OrderedDict[int, RequestEvent] = OrderedDict()


class LiveConsumer(AlertsLive, AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.official = self.scope.get("user")
        if self.official is None or not self.official.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.watching: set[int] = set()
        self.present: dict[int, dict[int, dict]] = {}
        self.typing_sent: dict[int, float] = {}
        # Per watched request: when her access was last checked, and the request as read
        # then, light (its status and parties change only through steps, which re-read it).
        self.access_checked: dict[int, tuple[float, InformationRequest]] = {}
        self.groups_joined = [events.official_group(self.official.pk)]
        self.authority_ids = await self._authority_ids()
        self.groups_joined += [
            events.authority_group(authority_id) for authority_id in self.authority_ids
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.start_alerts()
        await fanout.join(self, self.authority_ids)
        await self.accept()
        await self.send(
            text_data=self.render(
                "conversations/partials/live_status.html", {"state": "connected", "swap_oob": True}
            )
        )

    async def disconnect(self, code: int) -> None:
        self.stop_alerts()
        if hasattr(self, "authority_ids"):
            await fanout.leave(self, self.authority_ids)
        for request_id in getattr(self, "watching", set()):
            await self.announce(request_id, gone=True)
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        try:
            message = json.loads(text_data or "{}")
            request_id = int(message.get("request") or 0)
        except (ValueError, TypeError):
            return  # not ours to answer: a malformed frame changes nothing
        if await self.receive_alerts(message):
            return
        if message.get("type") == "watch" and request_id:
            await self.watch(request_id, after=whole_number(message.get("after")))
        elif message.get("type") == "read" and request_id in self.watching:
            await database_sync_to_async(self._mark_read)(
                request_id, whole_number(message.get("up_to"))
            )
        elif message.get("type") in ("here", "typing") and request_id in self.watching:
            await self.announce(request_id, typing=message["type"] == "typing")

    async def watch(self, request_id: int, *, after: int) -> None:
        # Join first, read second: an entry committed while the replay is being read
        # then arrives live too (the page keeps one copy), and none falls in between.
        group = events.request_group(request_id)
        if request_id not in self.watching:
            await self.channel_layer.group_add(group, self.channel_name)
        replay = await database_sync_to_async(self._replay)(request_id, after)
        if replay is None:
            if request_id not in self.watching:
                await self.channel_layer.group_discard(group, self.channel_name)
            return  # a guessed or foreign id: nothing joined, nothing said
        if request_id not in self.watching:
            self.watching.add(request_id)
            self.groups_joined.append(group)
        for fragment in replay:
            await self.send(text_data=fragment)
        await self.announce(request_id, ask=True)

    # --- presence: who else has the case open, who is writing (coarse, memory only) ----------

    async def announce(
        self, request_id: int, *, typing: bool = False, ask: bool = False, gone: bool = False
    ) -> None:
        """Tells the request's other pages that this official is here (or writing, or gone).
        Pages re-announce every PRESENCE_EVERY seconds; typing at most every few seconds."""
        now = time.monotonic()
        if typing and now - self.typing_sent.get(request_id, 0.0) < TYPING_EVERY:
            return
        if typing:
            self.typing_sent[request_id] = now
        await self.channel_layer.group_send(
            events.request_group(request_id),
            {
                "type": "liaison.presence",
                "request": request_id,
                "official": self.official.pk,
                "name": self.official.full_name,
                "channel": self.channel_name,
                "typing": typing,
                "ask": ask,
                "gone": gone,
            },
        )

    async def liaison_presence(self, message: dict) -> None:
        request_id = message["request"]
        if request_id not in self.watching or message["channel"] == self.channel_name:
            return
        others = self.present.setdefault(request_id, {})
        if message["gone"]:
            others.pop(message["official"], None)
        elif message["official"] != self.official.pk:
            seen = others.get(message["official"], {})
            others[message["official"]] = {
                "name": message["name"],
                "seen": time.monotonic(),
                "typing": time.monotonic() if message["typing"] else seen.get("typing", 0.0),
            }
        if message["ask"]:  # a page just opened: let it know who is already here
            await self.announce(request_id)
        await self.send(text_data=self.render_presence(request_id))

    def render_presence(self, request_id: int) -> str:
        now = time.monotonic()
        others = {
            official: seen
            for official, seen in self.present.get(request_id, {}).items()
            if now - seen["seen"] < PRESENCE_TIMEOUT
        }
        self.present[request_id] = others
        return self.render(
            "conversations/partials/presence.html",
            {
                "looking": sorted(seen["name"] for seen in others.values()),
                "typing": sorted(
                    seen["name"] for seen in others.values() if now - seen["typing"] < TYPING_SHOWN
                ),
                "swap_oob": True,
            },
        )

    async def fanout_event(self, message: dict) -> None:
        """This socket stands in for its process: the event goes to the process's
        sockets of the authorities named (this one's included)."""
        fanout.deliver(message["authorities"], message["event"])

    async def hear(self, event: dict) -> None:
        """An event handed over by this process's fan-out (conversations.fanout)."""
        try:
            await self.liaison_event({"event": event})
        except Exception:  # one socket's failure is its own: the others still hear
            logger.exception("A socket could not take a fanned-out event")

    async def liaison_event(self, message: dict) -> None:
        event = message["event"]
        if "alert" in event:
            await self.alert_event(event)
            return
        if event["kind"] == "request.event" and event["request"] in self.watching:
            fragment = await database_sync_to_async(self._entry)(
                event["request"], event["event"], step=event.get("step", True)
            )
        elif event["kind"] == "request.read" and event["request"] in self.watching:
            fragment = await database_sync_to_async(self._read_state)(event["request"])
        elif event["kind"] == "translation.ready" and event["request"] in self.watching:
            if event["target_language"] != self.official.language:
                return
            fragment = await database_sync_to_async(self._translated)(event)
        elif event["kind"] == "card.changed" and event["request"] in self.watching:
            fragment = await database_sync_to_async(self._card_changed)(event)
        elif event["kind"] == "mention":
            fragment = await database_sync_to_async(self._mentioned)(
                event["request"], event["event"]
            )
        elif event["kind"] == "mentions.seen":
            fragment = await database_sync_to_async(self._inbox_signal)(event["request"], step=True)
        elif event["kind"] == "inbox.changed":
            fragment = await database_sync_to_async(self._inbox_signal)(
                event["request"], step=event.get("step", True)
            )
        else:
            return
        if fragment:
            await self.send(text_data=fragment)

    # --- database work, in a thread -----------------------------------------------------

    @database_sync_to_async
    def _authority_ids(self) -> list[int]:
        return [m.authority_id for m in directory_permissions.memberships(self.official)]

    def _fresh_official(self):
        # Memberships and roles may change while the socket lives: re-read per event.
        directory_permissions.forget(self.official)
        return self.official

    def _replay(self, request_id: int, after: int) -> list[str] | None:
        official = self._fresh_official()
        request = selectors.request_for(official, request_id)
        if request is None:
            return None
        # Checked now; the light copy the live entries need is read with the first of them
        # (the page's full request is heavier than a socket should hold for hours).
        self.access_checked[request_id] = (time.monotonic(), None)
        entries = translations.read_entries(
            selectors.thread(request, after=after), official, request
        )
        fragments = [
            self.render(
                "conversations/partials/thread_append.html",
                {
                    "entries": entries[start : start + REPLAY_BATCH],
                    "request": request,
                    "official": official,
                },
            )
            for start in range(0, len(entries), REPLAY_BATCH)
        ]
        if entries:
            fragments.append(self._panel(request, official))
        return fragments

    def _entry(self, request_id: int, event_id: int, *, step: bool) -> str:
        """A new thread entry, rendered for this official. Her access is checked again on
        every workflow step (a forward or a closure may end it) and at least every
        ACCESS_RECHECK seconds; messages in between reuse the last check."""
        official = self._fresh_official() if step else self.official
        checked, request = self.access_checked.get(request_id, (0.0, None))
        if step or request is None or time.monotonic() - checked > ACCESS_RECHECK:
            request = selectors.request_for(official, request_id, light=not step)
            if request is None:  # her access ended while she watched
                self.watching.discard(request_id)
                self.access_checked.pop(request_id, None)
                return ""
            # Only the light copy is kept: a step's full one is for its panel alone.
            self.access_checked[request_id] = (time.monotonic(), None if step else request)
        entry = _shared_entry(request_id, event_id)
        if entry is None:
            return ""
        # The shared entry is read in this official's language on a copy of its own.
        (entry,) = translations.read_entries([copy.copy(entry)], official, request)
        fragment = self.render(
            "conversations/partials/thread_append.html",
            {"entries": [entry], "request": request, "official": official},
        )
        if step:
            fragment += self._panel(request, official)
        return fragment

    def _panel(self, request, official) -> str:
        return self.render(
            "conversations/partials/request_panel.html",
            {**panel_context(request, official), "swap_oob": True},
        )

    def _read_state(self, request_id: int) -> str:
        official = self._fresh_official()
        request = selectors.request_for(official, request_id)
        if request is None:
            return ""
        return self.render(
            "conversations/partials/read_state.html", {"request": request, "swap_oob": True}
        )

    def _mark_read(self, request_id: int, up_to: int) -> None:
        official = self._fresh_official()
        request = selectors.request_for(official, request_id)
        if request is not None:  # request_for has checked that she may read it
            services.mark_read(official=official, request=request, up_to=up_to)

    def _translated(self, event: dict) -> str:
        """A translation into her language is ready: the entry, or the subject or the
        description, shown again in place, translated (or marked unavailable)."""
        request_id = event["request"]
        checked, request = self.access_checked.get(request_id, (0.0, None))
        if request is None or time.monotonic() - checked > ACCESS_RECHECK:
            request = selectors.request_for(self.official, request_id, light=True)
            if request is None:
                self.watching.discard(request_id)
                return ""
            self.access_checked[request_id] = (time.monotonic(), request)
        if "event" in event:
            entry = _shared_entry(request_id, event["event"])
            if entry is None:
                return ""
            (entry,) = translations.read_entries([copy.copy(entry)], self.official, request)
            return self.render(
                "conversations/partials/entry.html",
                {"entry": entry, "request": request, "official": self.official, "swap_oob": True},
            )
        request = selectors.request_for(self.official, request_id)  # with its texts
        if request is None:
            return ""
        template = {
            "subject": "conversations/partials/subject.html",
            "description": "conversations/partials/description.html",
        }.get(event.get("field"))
        if template is None:
            return ""
        context = {
            "request": request,
            "readings": translations.read_request(request, self.official),
            "official": self.official,
            "swap_oob": True,
        }
        context["reading"] = context["readings"][event["field"]]
        return self.render(template, context)

    def _card_changed(self, event: dict) -> str:
        """Answers saved to a card: its entry shown again with them; but an official of
        the answering side, who may be typing in it, only hears who saved, so nothing she
        typed is swept away."""
        request = selectors.request_for(self.official, event["request"], light=True)
        card = (
            Card.objects.select_related("saved_by", "question_set")
            .filter(pk=event["card"], request_id=event["request"])
            .first()
        )
        if request is None or card is None or card.event_id is None:
            return ""
        if card_services.may_answer(self.official, card, request):
            if card.saved_by_id == self.official.pk:
                return ""
            return self.render(
                "conversations/partials/card_saved.html", {"card": card, "swap_oob": True}
            )
        entry = _shared_entry(request.pk, card.event_id)  # a card entry: read afresh
        if entry is None:
            return ""
        (entry,) = translations.read_entries([entry], self.official, request)
        return self.render(
            "conversations/partials/entry.html",
            {"entry": entry, "request": request, "official": self.official, "swap_oob": True},
        )

    def _mentioned(self, request_id: int, event_id: int) -> str:
        """A colleague named her in a message: a notice with a link, and the badge."""
        official = self._fresh_official()
        request = selectors.request_for(official, request_id, light=True)
        entry = _shared_entry(request_id, event_id) if request else None
        if entry is None:
            return ""
        (entry,) = translations.read_entries([copy.copy(entry)], official, request)
        notice = self.render(
            "conversations/partials/mention_notice.html", {"entry": entry, "request": request}
        )
        return notice + self._inbox_signal(request_id, step=True)

    def _inbox_signal(self, request_id: int, *, step: bool) -> str:
        # Only a workflow step changes what waits for her authority: the badge's counts.
        counts = selectors.counts(self._fresh_official()) if step else None
        return self.render(
            "conversations/partials/inbox_signal.html",
            {"counts": counts, "request_id": request_id, "stamp": timezone.now().timestamp()},
        )

    def render(self, template: str, context: dict) -> str:
        # Forms rendered here are posted like any other: they carry the page's CSRF
        # secret, read from the cookie the socket's handshake brought.
        csrf = self.scope.get("cookies", {}).get(settings.CSRF_COOKIE_NAME, "")
        with (
            translation.override(self.official.language),
            timezone.override(self.official.time_zone),
        ):
            return render_to_string(template, {"csrf_token": csrf, **context})


def _shared_entry(request_id: int, event_id: int) -> RequestEvent | None:
    # Consumers' database work runs on one thread (database_sync_to_async is thread
    # sensitive), so the cache needs no lock.
    entry = _recent_entries.get(event_id)
    if entry is None or entry.request_id != request_id:
        entry = selectors.thread_entry_of(request_id, event_id)
        if entry is None:
            return None
        if entry.kind == RequestEvent.Kind.CARD:
            return entry
        _recent_entries[event_id] = entry
        if len(_recent_entries) > RECENT_ENTRIES:
            _recent_entries.popitem(last=False)
    return entry
