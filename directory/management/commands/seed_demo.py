from time import perf_counter

from django.core.management.base import BaseCommand

from directory.demo import DEMO_PASSWORD, SCALES, seed, sign_ins
from translation.languages import BY_CODE


class Command(BaseCommand):
    help = (
        "Loads the demo directory (deterministic; kept if one exists) and the demo sign-ins, "
        "and prints them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="small: about 300 authorities (training); imi: 12,600 authorities and "
            "44,000 officials (benchmarks).",
        )

    def handle(self, *args, scale: str, **options) -> None:
        started = perf_counter()
        report = seed(scale)
        verb = "created" if report.created else "kept"
        self.stdout.write(
            f"Demo directory {verb}: {report.authorities} authorities, "
            f"{report.officials} officials ({perf_counter() - started:.1f} s)."
        )
        self.stdout.write(f"Sign in at /sign-in/ with password {DEMO_PASSWORD!r} as:")
        for demo, authority in sign_ins():
            language = BY_CODE[demo.language].english_name
            self.stdout.write(
                f"  {demo.email:<34} {language:<10} {demo.role_description}"
                + (f" — {authority}" if authority else "")
            )
