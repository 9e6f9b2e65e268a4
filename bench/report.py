"""docs/benchmarks.md holds one section per benchmark; each run replaces its own."""

import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Measured on the project's reference machine by the `make bench-*` targets, which\n"
    "rewrite their own section below. Figures are from the last run of each.\n"
)


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    text = (
        pattern.sub(lambda _match: block, text)
        if pattern.search(text)
        else (text.rstrip() + "\n\n" + block)
    )
    REPORT.write_text(text)
