"""Reference data kept as files (directory/data/): countries and policy areas.

Loaded after every migration, so each database — production, training, test — has the
current names; a new policy area is a new entry in the file, not code.
"""

import json
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_reference_data(*, apps=global_apps) -> tuple[int, int]:
    """Creates or updates every country and policy area of the data files. `apps`: the
    app registry, or the migration state's during `migrate`."""
    country_model = apps.get_model("directory", "Country")
    area_model = apps.get_model("directory", "PolicyArea")
    countries = read("countries.json")["countries"]
    areas = read("policy_areas.json")["policy_areas"]
    for entry in countries:
        country_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "kind": entry["kind"],
                "languages": entry["languages"],
                "names": entry["names"],
            },
        )
    for entry in areas:
        area_model.objects.update_or_create(code=entry["code"], defaults={"names": entry["names"]})
    return len(countries), len(areas)
