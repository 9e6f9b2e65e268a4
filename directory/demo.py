"""Demo officials for a fresh installation and for training: one per language shown."""

from dataclasses import dataclass

from django.db import transaction

from directory.models import Official

DEMO_PASSWORD = "liaison-demo"  # noqa: S105 - published on purpose, for demo data only
DEMO_DOMAIN = "demo.liaison.eu"


@dataclass(frozen=True)
class DemoOfficial:
    local_part: str
    full_name: str
    language: str
    time_zone: str
    is_operator: bool = False

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


DEMO_OFFICIALS: tuple[DemoOfficial, ...] = (
    DemoOfficial("anna.becker", "Anna Becker", "de", "Europe/Berlin"),
    DemoOfficial("marie.dubois", "Marie Dubois", "fr", "Europe/Paris"),
    DemoOfficial("ivan.petrov", "Ivan Petrov", "bg", "Europe/Sofia"),
    DemoOfficial("joao.silva", "João Silva", "pt", "Europe/Lisbon"),
    DemoOfficial("katarzyna.nowak", "Katarzyna Nowak", "pl", "Europe/Warsaw"),
    DemoOfficial("elena.rossi", "Elena Rossi", "it", "Europe/Rome"),
    DemoOfficial("jan.novak", "Jan Novák", "cs", "Europe/Prague"),
    DemoOfficial("sofia.lindqvist", "Sofia Lindqvist", "sv", "Europe/Stockholm"),
    DemoOfficial("operator", "Platform Operator", "en", "Europe/Brussels", is_operator=True),
)


@transaction.atomic
def load_demo_officials() -> list[tuple[DemoOfficial, bool]]:
    """Creates the demo officials that are missing; returns each with whether it was new.

    Existing accounts keep their password and settings, so running it again changes
    nothing a trainee did.
    """
    loaded = []
    for demo in DEMO_OFFICIALS:
        official, created = Official.objects.get_or_create(
            email=demo.email,
            defaults={
                "full_name": demo.full_name,
                "language": demo.language,
                "time_zone": demo.time_zone,
                "is_staff": demo.is_operator,
                "is_superuser": demo.is_operator,
            },
        )
        if created:
            official.set_password(DEMO_PASSWORD)
            official.save(update_fields=["password"])
        loaded.append((demo, created))
    return loaded
