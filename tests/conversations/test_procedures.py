"""Procedures are data: six policy areas ship them, in 26 languages, loaded idempotently."""

import json

import pytest
from django.core.management import CommandError, call_command

from conversations.models import Procedure
from conversations.procedures import DATA_DIR, ProcedureDataError, load_procedures

pytestmark = pytest.mark.django_db

SHIPPED_AREAS = {
    "professional-qualifications",
    "services",
    "posting-of-workers",
    "solvit",
    "gdpr",
    "patients-rights",
}


def test_the_shipped_procedures_cover_six_areas_in_every_language():
    # migrate loaded them already; loading again changes nothing but the counts it reports.
    report = load_procedures()
    assert report.created == 0
    assert {p.policy_area.code for p in Procedure.objects.select_related("policy_area")} == (
        SHIPPED_AREAS
    )
    from django.conf import settings

    languages = {code for code, _ in settings.LANGUAGES}
    for procedure in Procedure.objects.all():
        assert set(procedure.names) >= languages, procedure.code
        assert procedure.kind in Procedure.Kind.values
    assert Procedure.objects.filter(kind=Procedure.Kind.REQUEST).count() >= 12


def test_a_procedure_dropped_from_its_file_is_deactivated_not_deleted(tmp_path):
    for path in DATA_DIR.glob("*.json"):
        data = json.loads(path.read_text())
        if data["policy_area"] == "solvit":
            data["procedures"] = data["procedures"][:1]
        (tmp_path / path.name).write_text(json.dumps(data))
    report = load_procedures(directory=tmp_path)
    assert report.deactivated == 2
    assert Procedure.objects.filter(policy_area__code="solvit", is_active=False).count() == 2


def test_a_file_with_a_missing_translation_is_refused_whole(tmp_path):
    broken = json.loads((DATA_DIR / "gdpr.json").read_text())
    del broken["procedures"][0]["names"]["mt"]
    (tmp_path / "gdpr.json").write_text(json.dumps(broken))
    with pytest.raises(ProcedureDataError, match="mt"):
        load_procedures(directory=tmp_path)


def test_the_command_reports_and_refuses_clearly(tmp_path, capsys):
    call_command("load_procedures")
    assert "0 created" in capsys.readouterr().out
    (tmp_path / "x.json").write_text(
        json.dumps(
            {"policy_area": "gdpr", "procedures": [{"code": "x", "kind": "chat", "names": {}}]}
        )
    )
    with pytest.raises(CommandError, match="kind"):
        call_command("load_procedures", directory=tmp_path)
