"""One alert to every authority: the IMI-scale directory (12,609 authorities, 44,015
officials), 2,000 officials connected, and a coordinator sending an alert that reaches
12,600 authorities straight away. Measures the time from the moment her browser posts
"Send" until each connected official's socket has the alert's notice (p50, p99, max),
how long the post itself takes, and that nobody connected misses it; on one Daphne
process (SQLite, in-memory layer) and on two (PostgreSQL, Redis). Writes its section of
docs/benchmarks.md.

    make bench-alerts                    # PostgreSQL and Redis are started on free ports
    BENCH_LISTENERS=500 make bench-alerts
    BENCH_ONLY=scaled BENCH_SERVER_LOG=/tmp/daphne.log make bench-alerts  # one setup
"""

import asyncio
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.realtime import rss_kib, run_setup, start_servers, stop  # noqa: E402
from bench.report import write_section  # noqa: E402
from bench.sessions import session_key  # noqa: E402

LISTENERS = int(os.environ.get("BENCH_LISTENERS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GOAL_MS = 2000
CONNECTING = 20  # handshakes at a time


# --- setup: runs in a subprocess against the scenario's database ---------------------------


def setup() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from conversations.models import Procedure
    from directory.models import AccessGrant, Authority, Country, Membership, PolicyArea

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale="imi", verbosity=0)
    seeded = time.perf_counter() - started
    # Every authority may receive it: an alert of an area every authority works in.
    area = PolicyArea.objects.get(code="services")
    active = Authority.objects.filter(status=Authority.Status.ACTIVE)
    AccessGrant.objects.bulk_create(
        [
            AccessGrant(authority_id=pk, policy_area=area)
            for pk in active.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    procedure, _created = Procedure.objects.update_or_create(
        code="bench-alert-everyone",
        defaults={
            "kind": Procedure.Kind.ALERT,
            "policy_area": area,
            "names": {"en": "Benchmark alert"},
            "starters": ["nc"],
            "receivers": ["nc", "dc", "ca", "ec"],
            "routing": Procedure.Routing.DIRECT,
            "validated": [],
        },
    )
    sender_authority = active.filter(kind=Authority.Kind.NATIONAL_COORDINATOR).first()
    sender_membership = (
        Membership.objects.filter(authority=sender_authority, is_active=True)
        .select_related("official")
        .first()
    )
    Membership.objects.filter(pk=sender_membership.pk).update(is_handler=True)
    listeners, seen = [], {sender_authority.pk}
    for membership in (
        Membership.objects.filter(is_active=True, authority__status=Authority.Status.ACTIVE)
        .select_related("official")
        .order_by("authority_id", "pk")
        .iterator()
    ):
        if membership.authority_id in seen:
            continue
        seen.add(membership.authority_id)
        listeners.append(session_key(membership.official))
        if len(listeners) == LISTENERS:
            break
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "sender": session_key(sender_membership.official),
        "procedure": procedure.pk,
        "countries": list(Country.objects.values_list("code", flat=True)),
        "authorities": active.count(),
        "listeners": listeners,
        "seed_seconds": round(seeded, 1),
    }


# --- load ---------------------------------------------------------------------------------------


async def listener(
    session: str,
    cookie_name: str,
    port: int,
    ready: asyncio.Event,
    arrivals: dict,
    token: list,
    gate: asyncio.Semaphore,
) -> None:
    import websockets

    origin = f"http://127.0.0.1:{port}"
    async with gate:  # officials sign in over a few minutes, not all in the same second
        for attempt in range(8):  # a page whose socket is refused tries again, as htmx does
            try:
                socket = await websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/live/",
                    additional_headers={"Cookie": f"{cookie_name}={session}", "Origin": origin},
                    max_size=None,
                    open_timeout=60,
                )
                await socket.recv()  # "connected"
                break
            except (OSError, websockets.exceptions.WebSocketException):
                await asyncio.sleep(0.5 * 2**attempt)
        else:
            raise RuntimeError("a listener could not connect")
    async with socket:
        ready.set()
        async for text in socket:
            if token[0] and token[0] in text and session not in arrivals:
                arrivals[session] = time.perf_counter()


async def send_alert(port: int, data: dict, subject: str) -> float:
    import httpx

    csrf = secrets.token_hex(16)
    origin = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(
        base_url=origin,
        headers={
            "Cookie": f"{data['session_cookie']}={data['sender']}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": origin + "/",
        },
        timeout=120,
    ) as http:
        started = time.perf_counter()
        response = await http.post(
            "/alerts/new/",
            data={
                "procedure": data["procedure"],
                "urgency": "urgent",
                "subject": subject,
                "body": "Benchmark: an alert to every authority.",
                "countries": data["countries"],
                "authority_kinds": ["nc", "dc", "ca", "ec"],
                "send": "1",
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"sending failed: {response.status_code} {response.text[:400]}")
        return started


async def drive(data: dict, servers) -> dict:
    arrivals_by_round, posts = [], []
    token = [""]
    arrivals: dict[str, float] = {}
    readies, tasks = [], []
    gate = asyncio.Semaphore(CONNECTING)
    for number, session in enumerate(data["listeners"]):
        ready = asyncio.Event()
        readies.append(ready)
        port = servers[number % len(servers)][1]
        tasks.append(
            asyncio.create_task(
                listener(session, data["session_cookie"], port, ready, arrivals, token, gate)
            )
        )
    started = time.perf_counter()
    while not all(ready.is_set() for ready in readies):
        failed = [task for task in tasks if task.done() and task.exception()]
        if failed:
            raise failed[0].exception()
        if time.perf_counter() - started > 600:
            raise RuntimeError(f"{sum(r.is_set() for r in readies)} connected after 600 s")
        await asyncio.sleep(1)
    print(f"  connected in {time.perf_counter() - started:.0f} s", flush=True)
    await asyncio.sleep(3)
    connected_rss = rss_kib(servers)
    for round_number in range(ROUNDS):
        arrivals.clear()
        token[0] = f"bench-alert-{round_number}-{secrets.token_hex(4)}"
        started = await send_alert(servers[0][1], data, token[0])
        posted = time.perf_counter() - started
        deadline = time.perf_counter() + 30
        while len(arrivals) < len(data["listeners"]) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        arrivals_by_round.append(sorted((at - started) * 1000 for at in arrivals.values()))
        posts.append(posted * 1000)
        print(
            f"  round {round_number + 1}: {len(arrivals)}/{len(data['listeners'])} reached, "
            f"post {posted * 1000:.0f} ms, last {arrivals_by_round[-1][-1]:.0f} ms"
            if arrivals
            else f"  round {round_number + 1}: nobody reached",
            flush=True,
        )
        await asyncio.sleep(2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    # The first round warms the process (templates, caches); the rest are reported.
    measured = arrivals_by_round[1:] or arrivals_by_round
    latencies = sorted(value for values in measured for value in values)
    return {
        "connected_rss_kib": connected_rss,
        "reached": min(len(values) for values in measured),
        "missed": len(data["listeners"]) - min(len(values) for values in measured),
        "post_ms": round(statistics.median(posts[1:] or posts)),
        "first_round_last_ms": round(arrivals_by_round[0][-1]) if arrivals_by_round[0] else None,
        "p50": round(statistics.median(latencies)) if latencies else None,
        "p99": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)]) if latencies else None,
        "max": round(latencies[-1]) if latencies else None,
    }


def scenario(name: str, processes: int, env: dict) -> dict:
    data = run_setup(__file__, env)
    print(
        f"{name}: {data['authorities']} authorities, {len(data['listeners'])} connected", flush=True
    )
    servers = start_servers("config.asgi:application", processes, env)
    try:
        time.sleep(2)
        idle = rss_kib(servers)
        result = asyncio.run(drive(data, servers))
    finally:
        stop(servers)
    result.update(
        name=name,
        processes=processes,
        authorities=data["authorities"],
        listeners=len(data["listeners"]),
        per_official_kib=round((result["connected_rss_kib"] - idle) / len(data["listeners"]), 1),
    )
    print(
        f"{name}: p50 {result['p50']} ms, p99 {result['p99']} ms, max {result['max']} ms, "
        f"post {result['post_ms']} ms, {result['missed']} missed",
        flush=True,
    )
    return result


def main() -> None:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base.update(
        DEBUG="0",
        LIAISON_HTTPS="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
    )
    results = []
    only = os.environ.get("BENCH_ONLY", "")  # "embedded" or "scaled": one setup, no report
    if only != "scaled":
        with tempfile.TemporaryDirectory() as folder:
            embedded = {**base, "LIAISON_VAR_DIR": folder}
            results.append(scenario("1 process, SQLite, in-memory layer", 1, embedded))
    if only != "embedded" and os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        with tempfile.TemporaryDirectory() as folder:
            scaled = {
                **base,
                "LIAISON_VAR_DIR": folder,
                "DATABASE_URL": os.environ["DATABASE_URL"],
                "REDIS_URL": os.environ["REDIS_URL"],
            }
            results.append(scenario("2 processes, PostgreSQL, Redis", 2, scaled))
    if not only:
        write_section("alerts", render(results))


def render(results: list[dict]) -> str:
    lines = [
        "## Alerts: one alert to every authority (`make bench-alerts`)",
        "",
        f"The IMI-scale directory ({results[0]['authorities']:,} active authorities), "
        f"{results[0]['listeners']:,} officials of as many authorities connected, each with "
        "the page's one socket. A national coordinator posts *Send* on an alert of a procedure "
        "routed straight to the authorities concerned, for every country and every kind of "
        "authority: one bulk insert of the recipients, then one message per server process, "
        "which hands it to its own sockets of those authorities. "
        "Time runs from the start of her post to the moment each socket has the alert's "
        f"notice. {ROUNDS} alerts in a row; the first warms the process and is left out "
        f"of the figures. Goal: the last connected official within {GOAL_MS / 1000:g} s.",
        "",
        "| Setup | p50 | p99 | max | the post itself | missed | first alert, last official "
        "| memory per connected official |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['p50']} ms | {r['p99']} ms | {r['max']} ms | {r['post_ms']} ms "
            f"| {r['missed']} | {r['first_round_last_ms']} ms | {r['per_official_kib']} KiB |"
        )
    lines += [
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; the load "
        "generator (2,000 sockets) shares the cores with the servers.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        print(json.dumps(setup()))
    else:
        main()
