"""Loads the procedures of every policy area from conversations/data/procedures/*.json.

One file per policy area, each with a version: adding a procedure or a policy area is
adding data, not code. Loading is idempotent; a procedure dropped from its file is
deactivated, never deleted (its requests keep it).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data" / "procedures"
KINDS = {"request", "alert", "notification"}
AUTHORITY_KINDS = {"nc", "dc", "ca", "ec"}
ROUTINGS = {"coordinators", "direct"}
COMMENTS = {"all", "sender"}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0


class ProcedureDataError(ValueError):
    pass


def _validate(path: Path, data: dict, languages: set[str]) -> None:
    for entry in data.get("procedures", []):
        where = f"{path.name}: {entry.get('code', '?')}"
        if entry.get("kind") not in KINDS:
            raise ProcedureDataError(f"{where}: kind must be one of {sorted(KINDS)}")
        missing = languages - {code for code, text in entry.get("names", {}).items() if text}
        if missing:
            raise ProcedureDataError(f"{where}: no name in {sorted(missing)}")
        for field in ("starters", "receivers"):
            if not set(entry.get(field, [])) <= AUTHORITY_KINDS or not entry.get(field):
                raise ProcedureDataError(f"{where}: {field} must list kinds of {AUTHORITY_KINDS}")
        if entry.get("routing", "coordinators") not in ROUTINGS:
            raise ProcedureDataError(f"{where}: routing must be one of {sorted(ROUTINGS)}")
        if entry.get("comments", "all") not in COMMENTS:
            raise ProcedureDataError(f"{where}: comments must be one of {sorted(COMMENTS)}")
        if not set(entry.get("validated", [])) <= set(entry.get("starters", [])):
            raise ProcedureDataError(f"{where}: validated must list kinds among its starters")


@transaction.atomic
def load_procedures(*, apps=global_apps, directory: Path = DATA_DIR) -> LoadReport:
    """`apps`: the app registry, or the migration state's during `migrate`."""
    procedure_model = apps.get_model("conversations", "Procedure")
    area_model = apps.get_model("directory", "PolicyArea")
    languages = {code for code, _name in settings.LANGUAGES}
    report = LoadReport()
    seen = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        _validate(path, data, languages)
        area = area_model.objects.get(code=data["policy_area"])
        for entry in data["procedures"]:
            _procedure, created = procedure_model.objects.update_or_create(
                code=entry["code"],
                defaults={
                    "policy_area": area,
                    "kind": entry["kind"],
                    "names": entry["names"],
                    "legal_basis": entry.get("legal_basis", ""),
                    "starters": entry["starters"],
                    "receivers": entry["receivers"],
                    "accept_days": entry.get("accept_days", 7),
                    "answer_days": entry.get("answer_days", 14),
                    "question_set": entry.get("question_set") or "",
                    "routing": entry.get("routing", "coordinators"),
                    "validated": entry.get("validated", []),
                    "comments": entry.get("comments", "all"),
                    "version": data.get("version", 1),
                    "is_active": True,
                },
            )
            seen.append(entry["code"])
            report.created += created
            report.updated += not created
    report.deactivated = (
        procedure_model.objects.exclude(code__in=seen)
        .filter(is_active=True)
        .update(is_active=False)
    )
    return report
