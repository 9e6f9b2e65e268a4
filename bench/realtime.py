"""Real-time delivery under load: 200 officials in 100 conversations, each sending a
message every 2 s. Measures send-to-receive latency (from the moment the sender's
browser would post, to the moment the other official's socket has the rendered entry),
delivered messages per second, and server memory per connected official; on one Daphne
process (SQLite, in-memory layer) and on two (PostgreSQL, Redis), beside a bare Channels
echo server in the same run (the ceiling). Writes its section of docs/benchmarks.md.

    make bench-realtime             # PostgreSQL and Redis are started on free ports
    BENCH_SECONDS=20 make bench-realtime   # a shorter run
    BENCH_INTERVAL=10 make bench-realtime  # a lighter load: each official every 10 s
    BENCH_PAIRS=10 make bench-realtime     # fewer officials (2 per conversation)
"""

import asyncio
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from bench.sessions import session_key  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "100"))
INTERVAL = float(os.environ.get("BENCH_INTERVAL", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
TOKEN = re.compile(r"bench-(\d+)-(\d+)")


# --- setup: runs in a subprocess against the scenario's database ---------------------------


def setup() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from conversations.models import Procedure
    from conversations.services import requests as services
    from directory.models import AccessGrant, Authority, Membership, Official, PolicyArea

    call_command("migrate", verbosity=0)
    area = PolicyArea.objects.get(code="professional-qualifications")
    procedure = Procedure.objects.get(code="pq-diploma-authenticity")

    def official(country: str, number: int) -> Official:
        authority = Authority.objects.create(
            country_id=country,
            kind=Authority.Kind.COMPETENT_AUTHORITY,
            name=f"Bench authority {country} {number}",
            name_language="en",
            status=Authority.Status.ACTIVE,
        )
        AccessGrant.objects.create(authority=authority, policy_area=area)
        person = Official.objects.create_user(
            f"bench{number}@{country.lower()}.bench.example",
            None,
            full_name=f"Bench {country} {number}",
            language="en",
        )
        Membership.objects.create(official=person, authority=authority, is_handler=True)
        return person

    pairs = []
    for number in range(PAIRS):
        asker, answerer = official("DE", number), official("FR", number)
        draft = services.create_draft(
            official=asker,
            requester=asker.memberships.get().authority,
            procedure=procedure,
            subject=f"Bench {number}",
            description="Bench",
        )
        request = services.send_request(
            official=asker, request=draft, responder=answerer.memberships.get().authority
        )
        services.accept_request(official=answerer, request=request)
        pairs.append(
            {"request": request.pk, "sessions": [session_key(asker), session_key(answerer)]}
        )
    return {"pairs": pairs, "session_cookie": settings.SESSION_COOKIE_NAME}


# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_setup(script: str, env: dict) -> dict:
    """Runs `script setup` in a subprocess against the scenario's database, and returns
    the JSON it printed last."""
    prepared = subprocess.run(
        [sys.executable, script, "setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if prepared.returncode != 0:
        sys.stderr.write(prepared.stdout + prepared.stderr)
        raise SystemExit("setup failed")
    return json.loads(prepared.stdout.strip().splitlines()[-1])


def _server_log():
    """Where the servers' errors go: BENCH_SERVER_LOG names a file to append them to."""
    path = os.environ.get("BENCH_SERVER_LOG")
    return open(path, "a") if path else subprocess.DEVNULL


def start_servers(application: str, count: int, env: dict) -> list[tuple[subprocess.Popen, int]]:
    import socket

    servers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), application],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=_server_log(),
        )
        servers.append((process, port))
    for process, port in servers:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"{application} exited: {process.returncode}") from None
                time.sleep(0.1)
    return servers


def rss_kib(servers) -> int:
    total = 0
    for process, _port in servers:
        for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def stop(servers) -> None:
    for process, _port in servers:
        process.terminate()
    for process, _port in servers:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- load ---------------------------------------------------------------------------------------


class Load:
    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.delivered = 0
        self.failed = 0
        self.stopping = False

    def heard(self, listener: int, text: str) -> None:
        now = time.perf_counter()
        for sender, sequence in TOKEN.findall(text):
            if int(sender) == listener:
                continue
            token = f"bench-{sender}-{sequence}"
            started = self.sent.pop(token, None)
            if started is not None:
                self.latencies.append((now - started) * 1000)
                self.delivered += 1


async def liaison_client(
    load: Load,
    number: int,
    pair: dict,
    side: int,
    port: int,
    cookie_name: str,
    ready: asyncio.Event,
    go: asyncio.Event,
) -> None:
    import httpx
    import websockets

    csrf = secrets.token_hex(16)
    cookies = f"{cookie_name}={pair['sessions'][side]}; csrftoken={csrf}"
    origin = f"http://127.0.0.1:{port}"
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/ws/live/",
        additional_headers={"Cookie": cookies, "Origin": origin},
        max_size=None,
    ) as socket:
        await socket.recv()  # "connected"
        await socket.send(
            json.dumps({"type": "watch", "request": pair["request"], "after": 10**12})
        )
        ready.set()

        async def listen():
            async for text in socket:
                load.heard(number, text)

        listener = asyncio.create_task(listen())
        await go.wait()
        async with httpx.AsyncClient(
            base_url=origin,
            headers={
                "Cookie": cookies,
                "X-CSRFToken": csrf,
                "HX-Request": "true",
                "Referer": origin + "/",
            },
            timeout=30,
        ) as http:
            await asyncio.sleep(random.uniform(0, INTERVAL))  # noqa: S311 - spread the senders
            sequence = 0
            while not load.stopping:
                token = f"bench-{number}-{sequence}"
                load.sent[token] = time.perf_counter()
                response = await http.post(
                    f"/requests/{pair['request']}/messages/", data={"text": token}
                )
                if response.status_code != 200 or "errorlist" in response.text:
                    load.failed += 1
                sequence += 1
                await asyncio.sleep(INTERVAL)
        await asyncio.sleep(3)  # stragglers
        listener.cancel()


async def echo_client(
    load: Load, number: int, room: int, port: int, ready: asyncio.Event, go: asyncio.Event
) -> None:
    import websockets

    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/echo/{room}/") as socket:
        ready.set()

        async def listen():
            async for text in socket:
                load.heard(number, text)

        listener = asyncio.create_task(listen())
        await go.wait()
        await asyncio.sleep(random.uniform(0, INTERVAL))  # noqa: S311
        sequence = 0
        while not load.stopping:
            token = f"bench-{number}-{sequence}"
            load.sent[token] = time.perf_counter()
            await socket.send(token)
            sequence += 1
            await asyncio.sleep(INTERVAL)
        await asyncio.sleep(3)
        listener.cancel()


async def drive(make_client, servers) -> dict:
    load = Load()
    go = asyncio.Event()
    readies, tasks = [], []
    for number in range(2 * PAIRS):
        ready = asyncio.Event()
        readies.append(ready)
        port = servers[number % len(servers)][1]
        tasks.append(asyncio.create_task(make_client(load, number, port, ready, go)))
        if number % 20 == 19:
            await asyncio.sleep(0.1)  # a login wave, not a stampede
    await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), 120)
    await asyncio.sleep(2)
    connected_rss = rss_kib(servers)
    go.set()
    await asyncio.sleep(SECONDS)
    load.stopping = True
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = sorted(load.latencies)
    return {
        "connected_rss_kib": connected_rss,
        "delivered": load.delivered,
        "per_second": round(load.delivered / SECONDS, 1),
        "failed": load.failed,
        "lost": len(load.sent),
        "p50": round(statistics.median(latencies), 1) if latencies else None,
        "p99": round(latencies[int(len(latencies) * 0.99) - 1], 1) if latencies else None,
    }


def scenario(name: str, application: str, processes: int, env: dict, client_factory) -> dict:
    servers = start_servers(application, processes, env)
    try:
        time.sleep(2)
        idle = rss_kib(servers)
        result = asyncio.run(drive(client_factory, servers))
    finally:
        stop(servers)
    result.update(
        name=name,
        processes=processes,
        idle_rss_kib=idle,
        per_official_kib=round((result["connected_rss_kib"] - idle) / (2 * PAIRS), 1),
    )
    print(
        f"{name}: p50 {result['p50']} ms, p99 {result['p99']} ms, "
        f"{result['per_second']} msg/s, {result['per_official_kib']} KiB per official, "
        f"{result['failed']} refused, {result['lost']} not delivered"
    )
    return result


def liaison_scenario(name: str, processes: int, env: dict) -> dict:
    data = run_setup(__file__, env)

    def client(load, number, port, ready, go):
        pair = data["pairs"][number // 2]
        return liaison_client(
            load, number, pair, number % 2, port, data["session_cookie"], ready, go
        )

    return scenario(name, "config.asgi:application", processes, env, client)


def echo_scenario(name: str, processes: int, env: dict) -> dict:
    def client(load, number, port, ready, go):
        return echo_client(load, number, number // 2, port, ready, go)

    return scenario(name, "bench.echo:application", processes, env, client)


def main() -> None:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base.update(
        DEBUG="0", LIAISON_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50), LOG_LEVEL="WARNING"
    )
    results = []
    with tempfile.TemporaryDirectory() as folder:
        embedded = {**base, "LIAISON_VAR_DIR": folder}
        results.append(echo_scenario("Channels echo, 1 process, in-memory layer", 1, embedded))
        results.append(liaison_scenario("Liaison, 1 process, SQLite, in-memory layer", 1, embedded))
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        with tempfile.TemporaryDirectory() as folder:
            scaled = {
                **base,
                "LIAISON_VAR_DIR": folder,
                "DATABASE_URL": os.environ["DATABASE_URL"],
                "REDIS_URL": os.environ["REDIS_URL"],
            }
            results.append(echo_scenario("Channels echo, 2 processes, Redis", 2, scaled))
            results.append(liaison_scenario("Liaison, 2 processes, PostgreSQL, Redis", 2, scaled))
    # The standard load has its own section; a lighter one (BENCH_INTERVAL) gets another.
    write_section("realtime" if INTERVAL == 2 else f"realtime-every-{INTERVAL:g}s", render(results))


def render(results: list[dict]) -> str:
    lines = [
        "## Real-time delivery"
        + ("" if INTERVAL == 2 else f", lighter load (a message every {INTERVAL:g} s)"),
        "",
        f"`make bench-realtime`, on {platform.machine()} with {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}, load generator on the same machine. "
        f"{2 * PAIRS} officials in {PAIRS} conversations (each pair: two authorities of "
        f"two countries), each posting a message every {INTERVAL:g} s for {SECONDS:g} s "
        "through the composer's HTTP endpoint; latency runs from the post to the moment "
        "the other official's socket holds the entry rendered for her. The echo rows "
        "send over the socket itself through a bare Channels consumer: no database, no "
        "template, no permission check. Memory per official: server RSS with every "
        "socket open and watching, minus idle, divided by the officials. Goals on this "
        "machine: p50 under 20 ms, p99 under 100 ms, under 100 KiB per official.",
        "",
        "| Run | p50 | p99 | Delivered/s | Per official | Refused | Not delivered |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['p50']} ms | {r['p99']} ms | {r['per_second']} | "
            f"{r['per_official_kib']} KiB | {r['failed']} | {r['lost']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        print(json.dumps(setup()))
    else:
        main()
