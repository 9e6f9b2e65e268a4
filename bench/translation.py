"""Machine translation: what the pipeline costs beyond the model call, per message and
language; jobs per second with one and two workers; and the time from a German official's
send to the French translation on the other official's screen. With the tiny "echo"
packages of the test suite (the pipeline, not a model, is measured), installed into a
temporary folder; or with real models already installed (BENCH_PACKAGES_DIR). Writes its
section of docs/benchmarks.md.

    make bench-translation                        # tiny packages; PostgreSQL, Redis on free ports
    BENCH_PACKAGES_DIR=var/translation make bench-translation   # the models installed there
    BENCH_MESSAGES=50 BENCH_JOBS=100 make bench-translation     # a shorter run

Nothing of the operator's is written: the database and argostranslate's data live in a
temporary folder; real packages are only read, through a link.
"""

import asyncio
import html
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.realtime import start_servers, stop  # noqa: E402
from bench.report import write_section  # noqa: E402
from bench.sessions import session_key  # noqa: E402

TINY_PACKAGES = ROOT / "tests" / "translation" / "packages"
REAL_PACKAGES = os.environ.get("BENCH_PACKAGES_DIR", "")
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "40" if REAL_PACKAGES else "200"))
JOBS = int(os.environ.get("BENCH_JOBS", "60" if REAL_PACKAGES else "500"))
SCREEN_MESSAGES = int(os.environ.get("BENCH_SCREEN_MESSAGES", "50"))
SCREEN_INTERVAL = float(os.environ.get("BENCH_SCREEN_INTERVAL", "2" if REAL_PACKAGES else "0.5"))
ROUNDS = 2  # of JOBS / ROUNDS rows each, for jobs per second
SOURCE = "de"
READER = "fr"  # the official on the other screen; through English with the tiny packages
GOAL_MS = 10

# What officials write to each other, one sentence each (the echo model's pivot output is
# exact for one sentence), with a case number, a date or a reference to EU law to mask.
SENTENCES = (
    "Bitte senden Sie uns die beglaubigte Kopie des Diploms zu IMI-{case} bis zum {date}.",
    "Die Ärztekammer hat die Approbation am {date} bestätigt, siehe Vorgang IMI-{case}.",
    "Nach Artikel 50 der Richtlinie 2005/36/EG brauchen wir zu IMI-{case} einen Nachweis "
    "der Berufserfahrung.",
    "Können Sie bestätigen, dass die Ausbildung im Fall IMI-{case} drei Jahre gedauert hat?",
    "Wir haben Ihre Antwort zu IMI-{case} erhalten und prüfen die Unterlagen bis {date}.",
    "Gibt es gegen die Antragstellerin im Vorgang IMI-{case} ein laufendes Disziplinarverfahren?",
    "Die Frist für die Antwort zu IMI-{case} ist der {date}, danach entscheiden wir nach "
    "Aktenlage.",
    "Vielen Dank für die schnelle Antwort zu IMI-{case}, das hilft uns sehr.",
)


def message(number: int, run: str) -> str:
    """A distinct message (the store translates a text once), the same for every run."""
    case = f"{zlib.crc32(run.encode()) % 900 + 100}{number:05d}"
    date = f"{number % 28 + 1:02d}.{number % 12 + 1:02d}.2026"
    return SENTENCES[number % len(SENTENCES)].format(case=case, date=date)


STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:3.0f} s] {text}", flush=True)


def quantile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


def summary(values: list[float]) -> dict:
    """p50 and p99 in milliseconds, of values in seconds."""
    return {
        "p50": round(statistics.median(values) * 1000, 2),
        "p99": round(quantile(values, 0.99) * 1000, 2),
    }


# --- in a subprocess, against the scenario's database ---------------------------------------


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class HeldJobs:
    """A queue that keeps the job ids: the bench runs them when it times them."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def submit(self, translation_ids: list[int]) -> None:
        self.ids.extend(translation_ids)

    def take(self) -> list[int]:
        ids, self.ids = self.ids, []
        return ids


def targets_for(engine) -> list[str]:
    """The languages the bench translates into: those the packages reach from German."""
    wanted = ["en", "fr", "pl"]
    return [target for target in wanted if engine.can_translate(SOURCE, target)]


def timed_engine():
    from django.conf import settings

    from translation.engine import Engine

    class TimedEngine(Engine):
        """The real engine, adding up the time spent in argostranslate's call (sentence
        splitting, tokenizing, CTranslate2): the model call."""

        model_seconds = 0.0

        def _run(self, package, text):
            started = time.perf_counter()
            try:
                return super()._run(package, text)
            finally:
                self.model_seconds += time.perf_counter() - started

    return TimedEngine(max_models=settings.TRANSLATION_MAX_MODELS)


def overhead() -> dict:
    """For each message: `request` in its transaction (rows, subscriptions, the job queued
    on commit), then `process` of each row (claim, engine, store, the ready event sent);
    per (message, language), everything but the model call. Run as in a server or a
    worker: synchronous code in a thread started from the event loop, on which the ready
    event is sent."""
    django_setup()
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import sync_to_async
    from django.db import connection, transaction

    from translation import queues, services

    held = HeldJobs()
    queues.use_queue(held)
    engine = timed_engine()
    targets = targets_for(engine)
    for target in targets:  # models loaded before the clock runs
        engine.translate("Guten Tag.", SOURCE, target)

    pipeline, model, engine_alone = [], [], []

    def one_message(number: int) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            services.request(
                text=message(number, "overhead"),
                source=SOURCE,
                targets=targets,
                notify=[(f"request.{number}", {"request": number, "event": number})],
            )
        asked = time.perf_counter() - started
        ids = held.take()
        for translation_id in ids:
            in_model = engine.model_seconds
            started = time.perf_counter()
            services.process(translation_id, engine=engine)
            took = time.perf_counter() - started
            spent = engine.model_seconds - in_model
            model.append(spent)
            pipeline.append(asked / len(ids) + took - spent)

    def close_connection() -> None:
        connection.close()  # this thread's

    async def all_messages() -> None:
        with ThreadPoolExecutor(max_workers=1) as thread:  # one connection, as a worker's
            run = sync_to_async(one_message, thread_sensitive=False, executor=thread)
            for number in range(MESSAGES):
                await run(number)
            await sync_to_async(close_connection, thread_sensitive=False, executor=thread)()

    asyncio.run(all_messages())
    # The engine's whole call (masking and routing included) on the same texts, alone.
    for number in range(MESSAGES):
        for target in targets:
            started = time.perf_counter()
            engine.translate(message(number, "overhead"), SOURCE, target)
            engine_alone.append(time.perf_counter() - started)
    return {
        "database": connection.vendor,
        "targets": targets,
        "rows": len(pipeline),
        "pipeline": summary(pipeline),
        "model": summary(model),
        "engine": summary(engine_alone),
    }


def create_rows(count: int, targets: list[str], run: str) -> list[int]:
    """`count` pending rows (messages × targets), their jobs held back."""
    from django.db import transaction

    from translation import queues, services

    held = HeldJobs()
    previous = queues.use_queue(held)
    try:
        with transaction.atomic():
            for number in range(-(-count // len(targets))):
                services.request(text=message(number, run), source=SOURCE, targets=targets)
    finally:
        queues.use_queue(previous)
    return held.take()[:count]


def wait_until_final(ids: list[int], timeout: float) -> int:
    from translation.models import Translation

    deadline = time.monotonic() + timeout
    while True:
        waiting = Translation.objects.filter(pk__in=ids, status=Translation.Status.PENDING).count()
        if waiting == 0 or time.monotonic() > deadline:
            return waiting
        time.sleep(0.02)


def done_count(ids: list[int]) -> int:
    from translation.models import Translation

    return Translation.objects.filter(pk__in=ids, status=Translation.Status.DONE).count()


def throughput() -> list[dict]:
    """The embedded pool of one process, 1 then 2 threads, each on rounds of pending
    rows queued at once."""
    django_setup()
    from django.db import connection

    from translation import queues
    from translation.engine import default_engine

    engine = default_engine()
    targets = targets_for(engine)[:2]
    for target in targets:
        engine.translate("Guten Tag.", SOURCE, target)
    results = []
    for threads in (1, 2):
        rounds = []
        for number in range(ROUNDS):
            ids = create_rows(JOBS // ROUNDS, targets, f"pool-{threads}-{number}")
            pool = queues.EmbeddedPool(threads=threads, capacity=len(ids))
            started = time.perf_counter()
            pool.submit(ids)
            pool.join()
            rounds.append((ids, time.perf_counter() - started))
            pool.shutdown()
        results.append(
            rate(f"embedded pool, {threads} thread{'s' * (threads > 1)}", connection, rounds)
        )
    return results


def rate(workers: str, connection, rounds: list[tuple[list[int], float]]) -> dict:
    """Jobs per second of each round; the best one stands for the configuration (a short
    round on a shared machine is slowed by anything else running)."""
    per_round = [round(len(ids) / seconds, 1) for ids, seconds in rounds]
    return {
        "workers": workers,
        "database": connection.vendor,
        "jobs": sum(len(ids) for ids, _ in rounds),
        "done": sum(done_count(ids) for ids, _ in rounds),
        "rounds": per_round,
        "per_second": max(per_round),
    }


def feed(workers: int) -> dict:
    """Jobs through the channel layer to `workers` translation_worker processes already
    running: a warm-up round (their models loaded), then rounds of rows queued at once."""
    django_setup()
    from django.db import connection

    from translation.engine import Engine
    from translation.queues import ChannelQueue

    targets = targets_for(Engine(max_models=1))[:2]
    warm = create_rows(4 * workers, targets, f"warm-{workers}")
    ChannelQueue().submit(warm)
    if wait_until_final(warm, timeout=180):
        raise SystemExit("the translation workers did not start")
    rounds = []
    for number in range(ROUNDS):
        ids = create_rows(JOBS // ROUNDS, targets, f"workers-{workers}-{number}")
        started = time.perf_counter()
        ChannelQueue().submit(ids)
        wait_until_final(ids, timeout=600)
        rounds.append((ids, time.perf_counter() - started))
    name = f"{workers} translation_worker process{'es' * (workers > 1)}, 1 thread each"
    return rate(name, connection, rounds)


def screen_setup(scenario: str) -> dict:
    """A German official and a French one, in one accepted request, signed in."""
    django_setup()
    from django.conf import settings

    from conversations.models import Procedure
    from conversations.services import requests as services
    from directory.models import AccessGrant, Authority, Membership, Official, PolicyArea

    area = PolicyArea.objects.get(code="professional-qualifications")
    procedure = Procedure.objects.get(code="pq-diploma-authenticity")

    def official(country: str, language: str) -> Official:
        authority = Authority.objects.create(
            country_id=country,
            kind=Authority.Kind.COMPETENT_AUTHORITY,
            name=f"Translation bench {country} {scenario}",
            name_language=language,
            status=Authority.Status.ACTIVE,
        )
        AccessGrant.objects.create(authority=authority, policy_area=area)
        person = Official.objects.create_user(
            f"translation-{scenario}@{country.lower()}.bench.example",
            None,
            full_name=f"Bench {country}",
            language=language,
        )
        Membership.objects.create(official=person, authority=authority, is_handler=True)
        return person

    writer, reader = official("DE", SOURCE), official("FR", READER)
    draft = services.create_draft(
        official=writer,
        requester=writer.memberships.get().authority,
        procedure=procedure,
        subject="Echtheit eines Diploms",
        description="Bitte prüfen Sie die Echtheit des beigefügten Diploms.",
    )
    request = services.send_request(
        official=writer, request=draft, responder=reader.memberships.get().authority
    )
    services.accept_request(official=reader, request=request)
    return {
        "request": request.pk,
        "writer": session_key(writer),
        "reader": session_key(reader),
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


# --- send to screen: a Daphne server and two officials --------------------------------------


async def send_to_screen(data: dict, port: int, *, count: int, run: str) -> dict:
    """The German official posts `count` messages, SCREEN_INTERVAL apart, through the
    composer's HTTP endpoint; the French official's socket watches the request. For each:
    the time until her socket holds the entry (the original, or already translated), and
    until it holds the entry translated."""
    import httpx
    import websockets

    origin = f"http://127.0.0.1:{port}"
    csrf = secrets.token_hex(16)
    cookie = data["session_cookie"]
    sent: dict[str, float] = {}
    shown: dict[str, float] = {}
    translated: dict[str, float] = {}
    wrong: set[str] = set()
    expected = {}  # escaped original → escaped echo translation (tiny packages only)

    def heard(frame: str) -> None:
        now = time.perf_counter()
        for original in [text for text in sent if text not in translated]:
            if original not in frame:
                continue
            shown.setdefault(original, now)
            if "message-text--translated" in frame:
                translated[original] = now
                if original in expected and expected[original] not in frame:
                    wrong.add(original)

    async with websockets.connect(
        f"ws://127.0.0.1:{port}/ws/live/",
        additional_headers={"Cookie": f"{cookie}={data['reader']}", "Origin": origin},
        max_size=None,
    ) as socket:
        await socket.recv()  # "connected"
        await socket.send(
            json.dumps({"type": "watch", "request": data["request"], "after": 10**12})
        )

        async def listen() -> None:
            async for frame in socket:
                heard(frame)

        listener = asyncio.create_task(listen())
        async with httpx.AsyncClient(
            base_url=origin,
            headers={
                "Cookie": f"{cookie}={data['writer']}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "HX-Request": "true",
                "Referer": origin + "/",
            },
            timeout=60,
        ) as http:
            for number in range(count):
                text = message(number, run)
                escaped = html.escape(text)
                if not REAL_PACKAGES:
                    expected[escaped] = html.escape(f"[{READER}] [en] {text}")
                sent[escaped] = time.perf_counter()
                response = await http.post(
                    f"/requests/{data['request']}/messages/", data={"text": text}
                )
                if response.status_code != 200 or "errorlist" in response.text:
                    raise RuntimeError(f"the message was refused: {response.status_code}")
                await asyncio.sleep(SCREEN_INTERVAL)
        deadline = time.monotonic() + (120 if REAL_PACKAGES else 15)
        while len(translated) < len(sent) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        listener.cancel()
    return {
        "messages": len(sent),
        "shown": summary([shown[text] - sent[text] for text in shown]),
        "translated": summary([translated[text] - sent[text] for text in translated])
        if translated
        else {"p50": None, "p99": None},
        "missing": len(sent) - len(translated),
        "wrong": len(wrong),
    }


def screen_scenario(name: str, run: str, env: dict, *, worker: bool) -> dict:
    data = run_json(["screen-setup", run], env)
    servers = start_servers("config.asgi:application", 1, env)
    workers = start_workers(1, env) if worker else []
    try:
        port = servers[0][1]
        # A first message imports argostranslate and loads the models, as on a server's
        # first translation; the measured ones follow.
        asyncio.run(send_to_screen(data, port, count=1, run=f"{run}-warm"))
        result = asyncio.run(send_to_screen(data, port, count=SCREEN_MESSAGES, run=run))
    finally:
        stop_workers(workers)
        stop(servers)
    result["name"] = name
    say(
        f"{name}: shown p50 {result['shown']['p50']} ms; translated p50 "
        f"{result['translated']['p50']} ms, p99 {result['translated']['p99']} ms; "
        f"{result['missing']} missing, {result['wrong']} wrong"
    )
    return result


# --- orchestration -------------------------------------------------------------------------


def run_json(args: list[str], env: dict):
    """One part of the bench in a fresh process (settings and argostranslate are read once
    per process); its last line of output is JSON."""
    done = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench/translation.py {' '.join(args)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def say_rates(rates: list[dict]) -> None:
    for result in rates:
        say(
            f"{result['workers']}, {result['database']}: {result['per_second']} jobs/s "
            f"(rounds: {', '.join(map(str, result['rounds']))})"
        )


def start_workers(count: int, env: dict) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "translation_worker", "--threads", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def prepare_packages(folder: Path, env: dict) -> Path:
    """A TRANSLATION_DIR of the bench's own: the tiny packages installed into it, or a link
    to the real packages folder named by BENCH_PACKAGES_DIR (read, never written)."""
    directory = folder / "translation"
    directory.mkdir()
    if REAL_PACKAGES:
        packages = Path(REAL_PACKAGES).resolve()
        if (packages / "packages").is_dir():
            packages = packages / "packages"  # a TRANSLATION_DIR was named
        if not packages.is_dir():
            raise SystemExit(f"BENCH_PACKAGES_DIR: {packages} is not a folder")
        (directory / "packages").symlink_to(packages)
    else:
        run_json(["install"], {**env, "LIAISON_TRANSLATION_DIR": str(directory)})
    return directory


def install_tiny() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from translation import packages

    done = packages.install_files(sorted(TINY_PACKAGES.glob("*.argosmodel")))
    return {"installed": [str(package) for package in done]}


def installed_packages(directory: Path) -> list[str]:
    from translation import catalogue

    return [str(package) for package in catalogue.installed(directory / "packages").values()]


def main() -> None:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        LIAISON_HTTPS="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
        TRANSLATION_SWEEP_INTERVAL="0",  # nothing but the measured jobs runs
    )
    production = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
    overheads, rates, screens = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        directory = prepare_packages(root, {**base, "LIAISON_VAR_DIR": str(root / "install")})
        packages = installed_packages(directory)
        say(f"Packages: {', '.join(packages)}")
        base["LIAISON_TRANSLATION_DIR"] = str(directory)
        for name in ("embedded", "production"):
            (root / name).mkdir()
        embedded = {
            **base,
            "LIAISON_VAR_DIR": str(root / "embedded"),
            "TRANSLATION_QUEUE": "embedded",
        }
        scaled = {
            **base,
            "LIAISON_VAR_DIR": str(root / "production"),
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "REDIS_URL": os.environ.get("REDIS_URL", ""),
            "TRANSLATION_QUEUE": "channels",
        }
        scenarios = [embedded, scaled] if production else [embedded]
        for env in scenarios:
            result = run_json(["overhead"], env)
            overheads.append(result)
            say(
                f"Pipeline beyond the model, {result['database']}: p50 "
                f"{result['pipeline']['p50']} ms, p99 {result['pipeline']['p99']} ms "
                f"(model call p50 {result['model']['p50']} ms)"
            )
        for env in scenarios:
            rates.extend(run_json(["throughput"], env))
            say_rates(rates[-2:])
        if production:
            for count in (1, 2):
                workers = start_workers(count, scaled)
                try:
                    rates.append(run_json(["feed", str(count)], scaled))
                finally:
                    stop_workers(workers)
                say_rates(rates[-1:])
        screens.append(
            screen_scenario(
                "Embedded: 1 Daphne process, SQLite, in-memory layer, pool of 1 thread",
                "embedded",
                embedded,
                worker=False,
            )
        )
        if production:
            screens.append(
                screen_scenario(
                    "Production: 1 Daphne process, PostgreSQL, Redis, 1 translation_worker",
                    "production",
                    scaled,
                    worker=True,
                )
            )
    minutes = (time.monotonic() - STARTED) / 60
    section = "translation-real-models" if REAL_PACKAGES else "translation"
    write_section(section, render(packages, overheads, rates, screens, minutes))


def render(packages, overheads, rates, screens, minutes: float) -> str:
    real = bool(REAL_PACKAGES)
    lines = [
        "## Machine translation" + (", real models" if real else ""),
        "",
        f"`{'BENCH_PACKAGES_DIR=… ' if real else ''}make bench-translation`, on "
        f"{platform.machine()} with {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, "
        f"{minutes:.1f} minutes. Packages: "
        + (
            ", ".join(packages)
            if real
            else "the test suite's tiny echo packages (every sentence comes back as "
            "`[<to>] <sentence>`; German to French goes through English, two models)"
        )
        + ". German chat sentences, each with a case number, a date or a reference to EU "
        "law to mask.",
        "",
        "**The pipeline's own cost**, per (message, language), beyond the model call: "
        "`services.request` in the sender's transaction (rows, subscriptions, the job "
        "queued on commit), shared among the message's languages, plus `services.process` "
        "(claim, masking, route, storing, the ready event sent to the layer) minus the time "
        "inside argostranslate's call (sentence splitting, tokenizing, CTranslate2); run "
        "as a server or a worker runs it, in a thread started from the event loop. "
        f"{MESSAGES} messages into {', '.join(overheads[0]['targets'])}. "
        f"Goal: under {GOAL_MS} ms.",
        "",
        "| Database | Rows | Pipeline p50 | Pipeline p99 | Model call p50 | "
        "`Engine.translate` alone p50 |",
        "|---|---|---|---|---|---|",
    ]
    for result in overheads:
        lines.append(
            f"| {result['database']} | {result['rows']} | {result['pipeline']['p50']} ms | "
            f"{result['pipeline']['p99']} ms | {result['model']['p50']} ms | "
            f"{result['engine']['p50']} ms |"
        )
    lines += [
        "",
        f"**Jobs per second**: {ROUNDS} rounds of {JOBS // ROUNDS} pending rows (messages "
        f"into {' and '.join(overheads[0]['targets'][:2])}) for each configuration, queued "
        "at once, timed until the last is stored; models loaded beforehand. The embedded "
        "pool runs in one process; `translation_worker` processes receive the jobs through "
        "Redis. The best round stands for the configuration: on this shared machine a "
        "short round is slowed by anything else running, and PostgreSQL, Redis and the "
        "load generator share its cores with the workers.",
        "",
        "| Workers | Database | Jobs | Done | Jobs/s, each round | Jobs/s |",
        "|---|---|---|---|---|---|",
    ]
    for result in rates:
        lines.append(
            f"| {result['workers']} | {result['database']} | {result['jobs']} | "
            f"{result['done']} | {' / '.join(map(str, result['rounds']))} | "
            f"{result['per_second']} |"
        )
    lines += [
        "",
        f"**From send to the other screen**: a German official posts {SCREEN_MESSAGES} "
        f"messages, {SCREEN_INTERVAL:g} s apart, through the composer's HTTP endpoint; a "
        "French official's socket watches the request. *Shown*: until her socket holds the "
        "entry; *translated*: until it holds the entry translated into French (the "
        "translated entry replaces the original in place). Load generator on the same "
        "machine.",
        "",
        "| Run | Messages | Shown p50 | Translated p50 | Translated p99 | Missing | Wrong |",
        "|---|---|---|---|---|---|---|",
    ]
    for screen in screens:
        lines.append(
            f"| {screen['name']} | {screen['messages']} | {screen['shown']['p50']} ms | "
            f"{screen['translated']['p50']} ms | {screen['translated']['p99']} ms | "
            f"{screen['missing']} | {screen['wrong']} |"
        )
    lines += ["", OPERATOR_NOTE]
    return "\n".join(lines) + "\n"


OPERATOR_NOTE = """\
**Measuring a real model.** The tiny packages measure the pipeline, not translation. On
the server (or a machine like it), install real packages where the platform keeps them,
then point the bench at them; it reads them through a link and writes nothing there:

```sh
.venv/bin/python manage.py translation_packages install --from-index de fr  # de↔en, en↔fr
BENCH_PACKAGES_DIR=var/translation make bench-translation
```

The figures go to a section of their own, *Machine translation, real models*, with the
installed pairs and versions. Defaults are lighter there (`BENCH_MESSAGES=40`,
`BENCH_JOBS=60`, `BENCH_SCREEN_INTERVAL=2`); these and `BENCH_SCREEN_MESSAGES` can be
set for either run. Expect the model, not the
pipeline, to dominate: CTranslate2 OPUS-MT models do about 700 tokens/s on 4 cores (int8,
batched; DESIGN): budget 0.1-0.3 s per chat sentence and model (one sentence does not
batch), twice through English, and 1-2 s for the first use of a model, which loads it.
Jobs per second then scale with cores (`TRANSLATION_THREADS`, more `translation_worker`
processes) while the pipeline's own cost should stay within the goal above."""


if __name__ == "__main__":
    command = sys.argv[1:]
    if command == ["overhead"]:
        print(json.dumps(overhead()))
    elif command == ["throughput"]:
        print(json.dumps(throughput()))
    elif command[:1] == ["feed"]:
        print(json.dumps(feed(int(command[1]))))
    elif command[:1] == ["screen-setup"]:
        print(json.dumps(screen_setup(command[1])))
    elif command == ["install"]:
        print(json.dumps(install_tiny()))
    else:
        main()
