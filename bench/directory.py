"""Directory search at IMI scale: seed 12,600 authorities and 44,000 officials, then time
realistic searches on SQLite and on PostgreSQL. Writes its section of docs/benchmarks.md.

    make bench-directory            # both engines (PostgreSQL started on a free port)
    python bench/directory.py run   # one engine, from the environment (DATABASE_URL)
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402

# What officials type: names, acronyms, cities, professions and areas, in several
# languages and scripts, with and without accents, whole and half-typed.
QUERIES = [
    ("de", "Bundesamt", {}),
    ("de", "Ärztekammer München", {}),
    ("fr", "ministère santé", {}),
    ("cs", "zdravotnictvi", {}),
    ("el", "ΥΠΟΥΡΓΕΙΟ", {}),
    ("pl", "kwalifikacje zawodowe", {}),
    ("it", "Ministero", {"country": "IT"}),
    ("es", "consumo", {}),
    ("en", "labour inspectorate", {}),
    ("pt", "Lisb", {}),
    ("en", "doctor", {"policy_area": "professional-qualifications"}),
    ("sv", "Arbetsmiljöverket", {}),
    ("de", "Ar", {}),
    ("en", "a", {}),
    ("en", "data protection", {"country": "IE"}),
]
REPEAT = 20
PAGE = 20


def run() -> dict:
    """Seeds a fresh database of the configured engine and times the searches."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from directory.models import Authority, Official, PolicyArea
    from directory.selectors import search_authorities

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale="imi", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_seconds = time.perf_counter() - started
    viewer = Official.objects.get(email="anna.becker@demo.liaison.eu")
    areas = {area.code: area for area in PolicyArea.objects.all()}

    timings, hits = {}, {}
    for language, query, filters in QUERIES:
        options = dict(filters)
        if "policy_area" in options:
            options["policy_area"] = areas[options["policy_area"]]
        samples = []
        with translation.override(language):
            for _ in range(REPEAT):
                begin = time.perf_counter()
                found = search_authorities(viewer=viewer, query=query, **options)
                total = found.count()
                page = found[0:PAGE]
                samples.append((time.perf_counter() - begin) * 1000)
        label = f"{query}" + (
            f" ({', '.join(f'{k}={v}' for k, v in filters.items())})" if filters else ""
        )
        timings[label] = samples
        hits[label] = (total, page[0].name if page else "")
    every = [sample for samples in timings.values() for sample in samples]
    return {
        "engine": connection.vendor,
        "version": _engine_version(connection),
        "authorities": Authority.objects.count(),
        "officials": Official.objects.count(),
        "seed_seconds": round(seed_seconds, 1),
        "p50": round(statistics.median(every), 2),
        "p95": round(statistics.quantiles(every, n=20)[18], 2),
        "per_query": {
            label: {
                "p50": round(statistics.median(s), 2),
                "p95": round(statistics.quantiles(s, n=20)[18], 2),
                "hits": hits[label][0],
                "first": hits[label][1],
            }
            for label, s in timings.items()
        },
    }


def _engine_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def measure(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"benchmark run failed ({env.get('DATABASE_URL', 'sqlite')})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(measure({**base, "LIAISON_VAR_DIR": folder}))
    if os.environ.get("DATABASE_URL"):
        results.append(measure({**base, "DATABASE_URL": os.environ["DATABASE_URL"]}))
    else:
        print("DATABASE_URL not set: PostgreSQL skipped (make bench-directory starts one).")
    write_section("directory", render(results))
    for result in results:
        print(
            f"{result['engine']:<10} p50 {result['p50']:6.2f} ms  p95 {result['p95']:6.2f} ms"
            f"  seed {result['seed_seconds']} s"
        )


def render(results: list[dict]) -> str:
    lines = [
        "## Directory search",
        "",
        f"`make bench-directory`, on {platform.machine()} with {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}. The `imi` demo directory "
        f"({results[0]['authorities']:,} authorities, {results[0]['officials']:,} officials) "
        f"is seeded into a fresh database; each query below runs {REPEAT} times through "
        "`directory.selectors.search_authorities` (count plus a page of "
        f"{PAGE} results with their policy areas), as the search page does. Goal: p95 "
        "under 50 ms.",
        "",
        "| Engine | Version | Seed `--scale imi` | p50 | p95 |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['engine']} | {r['version']} | {r['seed_seconds']} s | "
            f"{r['p50']} ms | {r['p95']} ms |"
        )
    lines += [
        "",
        "Per query (p50 / p95 in ms, matches, first result):",
        "",
        "| Query | " + " | ".join(r["engine"] for r in results) + " | Matches | First |",
        "|---|" + "---|" * len(results) + "---|---|",
    ]
    for label, first in results[0]["per_query"].items():
        cells = [
            f"{r['per_query'][label]['p50']} / {r['per_query'][label]['p95']}" for r in results
        ]
        lines.append(
            f"| `{label}` | " + " | ".join(cells) + f" | {first['hits']} | {first['first']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["run"]:
        print(json.dumps(run()))
    else:
        main()
