"""Every shipped procedure with standard questions, end to end in real browsers: a Polish
official drafts a request with the whole question set and sends it to a Portuguese
authority; a Portuguese official accepts it, answers every question that applies (each
with a valid answer of its type, conditional questions appearing as the answers call for
them), and submits; the Polish official sees the answers arrive on her open page, the
chosen options in Polish.

One server, one browser and two signed-in pages serve every procedure of the module; its
data is made once and removed at the end, as a transactional test's is."""

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from playwright.sync_api import expect

from conversations.models import Card, InformationRequest, Procedure
from conversations.procedures import DATA_DIR
from conversations.questions import Question, applicable
from conversations.services.cards import current_set
from directory.models import Country
from tests.browser.test_requests import signed_in, step
from tests.conftest import build_authority, build_official, translated
from tests.live_server import DaphneServer

WRITER, READER = "pl", "pt"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def carded_procedures() -> list[tuple[str, str]]:
    """(procedure, policy area) of every shipped procedure that asks standard questions."""
    found = []
    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found += [
            (entry["code"], data["policy_area"])
            for entry in data["procedures"]
            if entry.get("question_set") and entry["kind"] == "request"
        ]
    return found


PROCEDURES = carded_procedures()
AREAS = sorted({area for _code, area in PROCEDURES})


def using_the_test_database() -> bool:
    test_name = connection.settings_dict.get("TEST", {}).get("NAME")
    name = str(connection.settings_dict["NAME"])
    return name == str(test_name) if test_name else name.startswith("test_")


@pytest.fixture(scope="module")
def test_database(django_db_setup, django_db_blocker):
    """The test database, for the whole module. pytest-django sets it up for a session
    with a test that asks for it by marker or fixture, which these tests cannot do without
    having it emptied after each; when the session has none, it is set up here."""
    made = None
    with django_db_blocker.unblock():
        if not using_the_test_database():
            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        assert using_the_test_database()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)  # as after a transactional test
        if made is not None:
            teardown_databases(made, verbosity=0)


@pytest.fixture(scope="module")
def platform(test_database, django_db_blocker):
    """A Polish and a Portuguese authority with access to every area, an official of
    each, and a live server."""
    with django_db_blocker.unblock():
        krakow = build_authority("PL", "Urząd Wojewódzki w Krakowie", *AREAS, language="pl")
        lisbon = build_authority("PT", "Autoridade para as Condições do Trabalho", *AREAS)
        build_official("ewa@krakow.example", "Ewa Nowak", WRITER, krakow, "is_handler")
        build_official("rui@lisboa.example", "Rui Costa", READER, lisbon, "is_handler")
        server = DaphneServer().start()
    yield server, lisbon
    server.stop()


@pytest.fixture(scope="module")
def pages(platform, playwright_browser):
    server, _lisbon = platform
    writer = signed_in(playwright_browser, server, "ewa@krakow.example")
    reader = signed_in(playwright_browser, server, "rui@lisboa.example")
    yield writer, reader
    writer.context.close()
    reader.context.close()


def dependents(question: Question, questions) -> list[Question]:
    return [other for other in questions if other.show_if and other.show_if[0] == question.code]


def planned(questions) -> dict:
    """A valid answer to every question that applies, in the stored form; a question
    others depend on is answered so that as many of them as possible are asked."""
    answers: dict = {}
    for question in questions:
        if question.code not in applicable(list(questions), answers):
            continue
        wanted = [value for other in dependents(question, questions) for value in other.show_if[1]]
        if question.type in ("yes_no", "single_choice"):
            values = (
                ["yes", "no"] if question.type == "yes_no" else [o.code for o in question.options]
            )
            answers[question.code] = max(values, key=wanted.count)  # the first, on a tie
        elif question.type == "multiple_choice":
            codes = [o.code for o in question.options]
            answers[question.code] = [c for c in codes if c in wanted] or codes[:2]
        elif question.type == "number":
            low = question.min if question.min is not None else 0
            high = question.max if question.max is not None else low + 100
            answers[question.code] = str((low + high) // 2)
        else:
            answers[question.code] = {
                "date": "2025-03-14",
                "country": "AT",
                "short_text": "Rua Augusta 12",
                "long_text": "Verificado no registo nacional; nada a assinalar.",
                "file": f"{question.code}.pdf",
            }[question.type]
    return answers


def answer(field, question: Question, value) -> None:
    """Answers one question in the card form as an official would."""
    if question.type == "yes_no":
        field.get_by_label(
            translated(READER, "Yes" if value == "yes" else "No"), exact=True
        ).check()
    elif question.type in ("single_choice", "multiple_choice"):
        for code in value if isinstance(value, list) else [value]:
            field.get_by_label(question.option(code).label(READER), exact=True).check()
    elif question.type == "country":
        field.locator("select").select_option(value)
    elif question.type == "file":
        field.locator("input[type=file]").set_input_files(
            {"name": value, "mimeType": "application/pdf", "buffer": PDF}
        )
    elif question.type == "long_text":
        field.locator("textarea").fill(value)
    else:
        field.locator("input").fill(value)


def shown_to_the_writer(question: Question, value) -> list[str]:
    """What the requesting official reads of an answer: option labels, yes or no and
    countries in her language; written answers and file names as they are."""
    if question.type == "yes_no":
        return [translated(WRITER, "Yes" if value == "yes" else "No")]
    if question.type in ("single_choice", "multiple_choice"):
        return [
            question.option(code).label(WRITER)
            for code in (value if isinstance(value, list) else [value])
        ]
    if question.type == "country":
        return [Country.objects.get(code=value).names[WRITER]]
    if question.type in ("number", "short_text", "long_text", "file"):
        return [value]
    return []  # a date, in her format


@pytest.mark.parametrize(("code", "area"), PROCEDURES, ids=[code for code, _area in PROCEDURES])
def test_a_procedure_with_its_card_from_draft_to_the_answers(
    code, area, platform, pages, django_db_blocker
):
    server, lisbon = platform
    writer, reader = pages
    with django_db_blocker.unblock():
        procedure = Procedure.objects.get(code=code)
        questions = current_set(procedure.question_set).schema.questions
        answers = planned(questions)
        expected = [
            text
            for question in questions
            if question.code in answers
            for text in shown_to_the_writer(question, answers[question.code])
        ]

    # Ewa drafts in Polish: the whole question set is offered, and kept.
    writer.goto(server.url + "/requests/new/")
    writer.locator("#id_procedure").select_option(str(procedure.pk))
    writer.locator("#id_subject").fill(f"Wniosek: {procedure.names[WRITER]}")
    writer.locator("form.form button[type=submit]").click()
    offered = writer.locator("input[name=questions]")
    expect(offered).to_have_count(len(questions))
    assert offered.evaluate_all("boxes => boxes.every(box => box.checked)")
    writer.locator("#id_description").fill("Proszę o odpowiedź na pytania standardowe.")
    writer.locator("form:has(#id_description) button[type=submit]").click()
    send = step(writer, "send")
    send.locator("input[type=search]").fill("Autoridade")
    send.locator(f"input[type=radio][value='{lisbon.pk}']").check()
    send.locator("button[type=submit]").click()
    expect(writer.locator("#request-status")).to_have_text(translated(WRITER, "To accept"))
    request_id = int(re.search(r"/requests/(\d+)/", writer.url).group(1))

    # Rui accepts in Portuguese and answers every question that applies.
    reader.goto(f"{server.url}/requests/{request_id}/")
    step(reader, "accept").locator("button[type=submit]").click()
    form = reader.locator(".card__form")
    expect(form).to_be_visible()
    for question in questions:
        field = form.locator(f'[data-question="{question.code}"]')
        if question.code not in answers:
            expect(field).to_be_hidden()  # asked only for other answers
            continue
        expect(field).to_be_visible()
        answer(field, question, answers[question.code])
    form.get_by_role("button", name=translated(READER, "Submit answers")).click()
    expect(reader.locator(".card__form")).to_have_count(0)

    # Ewa's open page shows the answers, without reloading, in Polish.
    received = writer.locator(".card__answers")
    for text in expected:
        expect(received).to_contain_text(text)

    with django_db_blocker.unblock():
        card = Card.objects.get(request_id=request_id)
        assert card.status == Card.Status.SUBMITTED
        assert set(card.answers) == set(answers)  # every question that applies, no other
        assert InformationRequest.objects.get(pk=request_id).procedure == procedure


def test_the_requester_finds_every_case_in_her_inbox_in_polish(platform, pages, django_db_blocker):
    server, _lisbon = platform
    writer, _reader = pages
    with django_db_blocker.unblock():
        names = [
            procedure.names[WRITER]
            for procedure in Procedure.objects.filter(
                requests__requester__country_id="PL"
            ).distinct()
        ]
    if not names:
        pytest.skip("no procedure of the module ran before")
    writer.goto(server.url + "/")
    expect(writer.locator("#inbox tbody tr")).to_have_count(len(names))  # one case each
    for name in names:
        expect(writer.locator("#inbox")).to_contain_text(name)
