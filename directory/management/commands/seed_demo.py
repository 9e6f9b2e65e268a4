from django.core.management.base import BaseCommand

from directory.demo import DEMO_PASSWORD, load_demo_officials
from translation.languages import BY_CODE


class Command(BaseCommand):
    help = "Loads the demo officials (idempotent) and prints their sign-ins."

    def handle(self, *args, **options) -> None:
        loaded = load_demo_officials()
        created = sum(1 for _, is_new in loaded if is_new)
        self.stdout.write(f"Demo officials: {created} created, {len(loaded) - created} kept.")
        self.stdout.write(f"Sign in at /sign-in/ with password {DEMO_PASSWORD!r} as:")
        for demo, _ in loaded:
            role = "platform operator, /admin/" if demo.is_operator else "official"
            language = BY_CODE[demo.language].english_name
            self.stdout.write(f"  {demo.email:<38} {language:<11} {role}")
