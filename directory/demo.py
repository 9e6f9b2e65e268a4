"""Demo data, deterministic: the `small` set `make run` loads for training and trying
Liaison, and the `imi` set (12,600 authorities, 44,000 officials) for benchmarks.

Authorities are made from patterns in directory/data/demo_authorities.json: real
regions and cities of each country, named in the country's own language and in English.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from directory.models import (
    AccessGrant,
    Authority,
    Country,
    Membership,
    Official,
    PolicyArea,
)
from directory.reference import read
from directory.search import search_key

DEMO_PASSWORD = "liaison-demo"  # noqa: S105 - published on purpose, for demo data only
DEMO_DOMAIN = "demo.liaison.eu"
DEMO_AREA = "professional-qualifications"
SCALES = {
    # authorities per country beyond its coordinators, delegated coordinators per
    # country (at most), officials per authority
    "small": (8, 1, 1),
    "imi": (416, 3, 3.49),
}
Kind = Authority.Kind
COORDINATOR_ROLES = {
    "validates_authorities": True,
    "grants_access": True,
    "follows_exchanges": True,
    "is_local_admin": True,
}


@dataclass(frozen=True)
class DemoOfficial:
    local_part: str
    full_name: str
    language: str
    time_zone: str
    country: str = ""
    where: str = ""  # "nc", "dc" or "ca": the kind of authority she works for
    roles: tuple[str, ...] = ()
    is_operator: bool = False

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"

    @property
    def role_description(self) -> str:
        if self.is_operator:
            return "platform operator, /admin/"
        if self.where == "nc":
            return "national coordinator"
        if self.where == "dc":
            return "delegated coordinator"
        labels = dict(Membership.ROLES)
        return ", ".join(str(labels[role]).lower() for role in self.roles)


DEMO_OFFICIALS: tuple[DemoOfficial, ...] = (
    DemoOfficial(
        "anna.becker",
        "Anna Becker",
        "de",
        "Europe/Berlin",
        "DE",
        "ca",
        ("is_allocator", "is_handler"),
    ),
    DemoOfficial("lukas.weber", "Lukas Weber", "de", "Europe/Berlin", "DE", "nc"),
    DemoOfficial("marie.dubois", "Marie Dubois", "fr", "Europe/Paris", "FR", "nc"),
    DemoOfficial(
        "ivan.petrov",
        "Ivan Petrov",
        "bg",
        "Europe/Sofia",
        "BG",
        "ca",
        ("is_local_admin", "is_handler"),
    ),
    DemoOfficial("joao.silva", "João Silva", "pt", "Europe/Lisbon", "PT", "ca", ("is_supervisor",)),
    DemoOfficial("katarzyna.nowak", "Katarzyna Nowak", "pl", "Europe/Warsaw", "PL", "dc"),
    DemoOfficial("elena.rossi", "Elena Rossi", "it", "Europe/Rome", "IT", "ca", ("is_handler",)),
    DemoOfficial(
        "jan.novak",
        "Jan Novák",
        "cs",
        "Europe/Prague",
        "CZ",
        "ca",
        ("is_allocator", "is_local_admin"),
    ),
    DemoOfficial("sofia.lindqvist", "Sofia Lindqvist", "sv", "Europe/Stockholm", "SE", "nc"),
    DemoOfficial("operator", "Platform Operator", "en", "Europe/Brussels", is_operator=True),
)

FIRST_NAMES = (
    "Anna",
    "Maria",
    "Eva",
    "Sofia",
    "Elena",
    "Katarina",
    "Ines",
    "Laura",
    "Petra",
    "Ana",
    "Marta",
    "Julia",
    "Lena",
    "Ida",
    "Helena",
    "Nora",
    "Clara",
    "Irene",
    "Zofia",
    "Maja",
    "Jan",
    "Peter",
    "Luca",
    "Jonas",
    "Pedro",
    "Marek",
    "Tomas",
    "Nikos",
    "Mikael",
    "Andrei",
    "Pieter",
    "Lars",
    "Martin",
    "Paul",
    "David",
    "Matteo",
    "Karl",
    "Ivan",
    "Sean",
    "Olaf",
)
LAST_NAMES = (
    "Müller",
    "Dubois",
    "Rossi",
    "García",
    "Novák",
    "Kowalski",
    "Silva",
    "Jansen",
    "Nielsen",
    "Virtanen",
    "Papadopoulos",
    "Horváth",
    "Popescu",
    "Ivanov",
    "Kovač",
    "Tamm",
    "Bērziņš",
    "Kazlauskas",
    "Borg",
    "Murphy",
    "Larsen",
    "Andersson",
    "Meier",
    "Dumont",
    "Ferrari",
    "Fernández",
    "Dvořák",
    "Nowak",
    "Santos",
    "de Vries",
    "Hansen",
    "Korhonen",
    "Georgiou",
    "Nagy",
    "Ionescu",
    "Petrov",
    "Horvat",
    "Mägi",
    "Kalniņš",
    "Vella",
)


@dataclass
class SeedReport:
    authorities: int
    officials: int
    created: bool


def _name(pattern: str, region: str, city: str, serial: int) -> str:
    name = pattern.replace("{region}", region).replace("{city}", city)
    return f"{name} – {serial}" if serial > 1 else name


def _authority(
    country: Country,
    language: str,
    kind: str,
    entry: dict,
    region: str,
    city: str,
    serial: int = 1,
    coordinator: Authority | None = None,
) -> Authority:
    return Authority(
        country=country,
        kind=kind,
        name=_name(entry["name"], region, city, serial)[:255],
        name_language=language,
        name_en=_name(entry.get("name_en", ""), region, city, serial)[:255],
        acronym=entry.get("acronym", ""),
        region=region,
        city=city,
        website=f"https://{search_key(entry.get('acronym') or country.code).replace(' ', '')}"
        f".{country.code.lower()}.example",
        email=f"info.{serial}@{search_key(entry.get('acronym') or 'office').replace(' ', '')}"
        f".{country.code.lower()}.example",
        keywords="\n".join(entry.get("keywords", []) + entry.get("keywords_en", [])),
        professions="\n".join(entry.get("professions", [])),
        coordinator=coordinator,
        status=Authority.Status.ACTIVE,
    )


def _places(country_data: dict) -> list[tuple[str, str]]:
    return [(place["region"], city) for place in country_data["places"] for city in place["cities"]]


def _ministries_first(pattern: dict) -> bool:
    return not pattern.get("name_en", "").startswith(("Ministry", "Federal Office"))


def _country_authorities(
    country: Country, data: dict, per_country: int, delegates: int
) -> list[tuple[Authority, list[str]]]:
    """The country's authorities (coordinators first) with their policy-area codes."""
    language = data["language"]
    places = _places(data)
    # National bodies sit where the national coordinator does (the capital).
    capital = data["national_coordinator"].get("city") or places[0][1]
    first_region, first_city = next(
        ((region, city) for region, city in places if city == capital), (places[0][0], capital)
    )
    national = _authority(
        country,
        language,
        Kind.NATIONAL_COORDINATOR,
        data["national_coordinator"],
        first_region,
        data["national_coordinator"].get("city", first_city),
    )
    made = [(national, [])]
    delegated = []
    for entry in data.get("delegated_coordinators", [])[:delegates]:
        authority = _authority(
            country,
            language,
            Kind.DELEGATED_COORDINATOR,
            entry,
            first_region,
            entry.get("city", first_city),
        )
        authority.coordinator = national
        delegated.append((authority, [entry["area"]]))
    made.extend(delegated)

    kind = (
        Kind.COMMISSION_SERVICE
        if country.kind == Country.Kind.COMMISSION
        else (Kind.COMPETENT_AUTHORITY)
    )
    patterns = data["authorities"]
    national_patterns = sorted(
        (p for p in patterns if p["scope"] == "national"), key=_ministries_first
    )
    if per_country < 2 * len(national_patterns):
        # A small directory keeps half its places for regional and city bodies.
        national_patterns = national_patterns[: (per_country + 1) // 2]
    local_patterns = [p for p in patterns if p["scope"] != "national"]
    produced = 0
    for entry in national_patterns:
        if produced >= per_country:
            break
        made.append(
            (_authority(country, language, kind, entry, first_region, first_city), entry["areas"])
        )
        produced += 1
    # Local bodies: each pattern in every city (or region) in turn, numbered beyond that.
    combinations = [(entry, region, city) for entry in local_patterns for region, city in places]
    for index in range(per_country - produced if combinations else 0):
        entry, region, city = combinations[index % len(combinations)]
        serial = index // len(combinations) + 1
        made.append(
            (_authority(country, language, kind, entry, region, city, serial), entry["areas"])
        )
    for authority, _areas in made[1 + len(delegated) :]:
        coordinator = next((dc for dc, codes in delegated if set(codes) & set(_areas)), None)
        authority.coordinator = coordinator or national
    return made


@transaction.atomic
def seed(scale: str = "small") -> SeedReport:
    """Loads the demo directory unless one exists; then makes sure the demo sign-ins do."""
    per_country, delegates, officials_per_authority = SCALES[scale]
    if Authority.objects.exists():
        _demo_sign_ins()
        return SeedReport(Authority.objects.count(), Official.objects.count(), created=False)

    data = read("demo_authorities.json")["countries"]
    areas = {area.code: area for area in PolicyArea.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    planned: list[tuple[Authority, list[str]]] = []
    for code in sorted(data):
        planned.extend(_country_authorities(countries[code], data[code], per_country, delegates))

    for authority, _codes in planned:
        authority.refresh_search_fields()
    # Coordinators first, so that the authorities below them can point at saved rows.
    for kind in (Kind.NATIONAL_COORDINATOR, Kind.DELEGATED_COORDINATOR, None):
        batch = [a for a, _ in planned if (a.kind == kind if kind else not a.is_coordinator)]
        Authority.objects.bulk_create(batch, batch_size=500)

    AccessGrant.objects.bulk_create(
        [
            AccessGrant(authority=a, policy_area=areas[c])
            for a, codes in planned
            for c in codes
            if c in areas
        ],
        batch_size=1000,
    )
    through = Authority.coordinated_areas.through
    through.objects.bulk_create(
        [
            through(authority_id=a.pk, policyarea_id=areas[c].pk)
            for a, codes in planned
            if a.kind == Kind.DELEGATED_COORDINATOR
            for c in codes
            if c in areas
        ]
    )
    made = _officials([a for a, _ in planned], officials_per_authority)
    _demo_sign_ins()
    _awaiting_approval_on_demo_desks()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner after a bulk load
    return SeedReport(len(planned), made, created=True)


def _officials(authorities: list[Authority], per_authority: float) -> int:
    """Officials for every authority: its first is its administrator (and, in a
    coordinator, a coordinator); the others handle, allocate or supervise."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    password = make_password(DEMO_PASSWORD)
    languages = {country.code: country.languages[0] for country in Country.objects.all()}
    officials, memberships = [], []
    total = round(len(authorities) * per_authority)
    for number in range(total):
        authority = authorities[number % len(authorities)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        handle = search_key(f"{first} {last}").replace(" ", ".")
        officials.append(
            Official(
                email=f"{handle}.{number}@{authority.country_id.lower()}.{DEMO_DOMAIN}",
                full_name=f"{first} {last}",
                password=password,
                language=languages[authority.country_id],
            )
        )
        if number < len(authorities):
            roles = (
                dict(COORDINATOR_ROLES)
                if authority.is_coordinator
                else {"is_local_admin": True, "is_allocator": True}
            )
        else:
            roles = rng.choice(
                [
                    {"is_handler": True},
                    {"is_handler": True},
                    {"is_supervisor": True},
                    {"is_allocator": True},
                ]
            )
        memberships.append((authority, roles))
    Official.objects.bulk_create(officials, batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(official=official, authority=authority, **roles)
            for official, (authority, roles) in zip(officials, memberships, strict=True)
        ],
        batch_size=1000,
    )
    return total


def _demo_sign_ins() -> None:
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
        if demo.is_operator or official.memberships.exists():
            continue
        authority = _workplace(demo)
        if authority is None:
            continue
        roles = COORDINATOR_ROLES if demo.where in ("nc", "dc") else {r: True for r in demo.roles}
        Membership.objects.create(official=official, authority=authority, **roles)


def _awaiting_approval_on_demo_desks() -> None:
    """One registration waiting on each demo coordinator's desk, to try approving."""
    desks = Membership.objects.filter(
        official__email__in=[d.email for d in DEMO_OFFICIALS if d.where in ("nc", "dc")]
    ).values_list("authority_id", flat=True)
    for desk in desks:
        waiting = (
            Authority.objects.filter(coordinator_id=desk, kind=Kind.COMPETENT_AUTHORITY)
            .order_by("-id")
            .first()
        )
        if waiting is not None:
            waiting.status = Authority.Status.AWAITING_APPROVAL
            waiting.save(update_fields=["status"])


def _workplace(demo: DemoOfficial) -> Authority | None:
    kinds = {
        "nc": Kind.NATIONAL_COORDINATOR,
        "dc": Kind.DELEGATED_COORDINATOR,
        "ca": Kind.COMPETENT_AUTHORITY,
    }
    candidates = Authority.objects.filter(
        country_id=demo.country, kind=kinds[demo.where], status=Authority.Status.ACTIVE
    ).order_by("id")
    if demo.where == "ca":
        # Demo officials work where requests are exchanged: professional qualifications
        # has procedures in every country.
        competent = candidates.filter(grants__policy_area__code=DEMO_AREA).first()
        if competent is not None:
            return competent
    return candidates.first()


def sign_ins() -> list[tuple[DemoOfficial, str]]:
    """Each demo sign-in with the authority she works for."""
    rows = []
    for demo in DEMO_OFFICIALS:
        membership = (
            Membership.objects.filter(official__email=demo.email)
            .select_related("authority")
            .first()
        )
        rows.append((demo, membership.authority.name if membership else ""))
    return rows
