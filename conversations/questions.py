"""Standardized questions: the question sets of procedures, as data.

A set is a versioned file in conversations/data/question_sets/<code>.json; every text
(the set's name, each question, its help, each option) exists in all 26 languages, so
questions and chosen answers are read in each official's language without machine
translation. This module reads and checks the files, and knows each question type: how
an answer is checked, stored and shown.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from translation.languages import localized

DATA_DIR = Path(__file__).resolve().parent / "data" / "question_sets"
TYPES = (
    "yes_no",
    "single_choice",
    "multiple_choice",
    "date",
    "number",
    "country",
    "short_text",
    "long_text",
    "file",
)
CHOICES = ("single_choice", "multiple_choice")
CONDITIONS = ("yes_no", *CHOICES)  # the answers another question may depend on
REQUIRED = ("save", "send", "no")
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Answers written in the answering official's own words: machine-translated for others.
FREE_TEXT = ("short_text", "long_text")


class QuestionSetDataError(ValueError):
    pass


@dataclass(frozen=True)
class Option:
    code: str
    labels: dict[str, str]

    def label(self, language: str) -> str:
        return localized(self.labels, language)


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    text: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    required: str = "no"
    personal_data: bool = False
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    show_if: tuple[str, tuple[str, ...]] | None = None  # (question code, answer values)

    def label(self, language: str) -> str:
        return localized(self.text, language)

    def help_text(self, language: str) -> str:
        return localized(self.help, language) if self.help else ""

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)

    def shown(self, answers: dict) -> bool:
        """Whether the question applies, given the answers so far."""
        if self.show_if is None:
            return True
        depends_on, values = self.show_if
        answer = answers.get(depends_on)
        chosen = answer if isinstance(answer, list) else [answer]
        return any(value in values for value in chosen)

    def clean(self, raw, *, countries: set[str]):
        """The stored form of a raw answer (strings from a form), or None when empty;
        ValueError with the message shown beside the question when it is not valid."""
        if self.type == "multiple_choice":
            values = [value for value in (raw or []) if value]
            unknown = [value for value in values if self.option(value) is None]
            if unknown:
                raise ValueError(_("Choose among the options shown."))
            return [option.code for option in self.options if option.code in values] or None
        raw = (raw[-1] if isinstance(raw, list) and raw else raw) or ""
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw == "":
            return None
        if self.type == "yes_no":
            if raw not in ("yes", "no"):
                raise ValueError(_("Answer yes or no."))
            return raw
        if self.type == "single_choice":
            if self.option(raw) is None:
                raise ValueError(_("Choose one of the options shown."))
            return raw
        if self.type == "date":
            try:
                return date.fromisoformat(raw).isoformat()
            except ValueError:
                raise ValueError(_("Enter a date, such as 2026-03-31.")) from None
        if self.type == "number":
            return self._number(raw)
        if self.type == "country":
            if raw not in countries:
                raise ValueError(_("Choose a country of the list."))
            return raw
        limit = SHORT_TEXT_MAX if self.type == "short_text" else LONG_TEXT_MAX
        if len(raw) > limit:
            raise ValueError(
                _("At most %(limit)d characters; this answer has %(length)d.")
                % {"limit": limit, "length": len(raw)}
            )
        return raw

    def _number(self, raw: str) -> str:
        try:
            number = Decimal(raw.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number, such as 12 or 3.5.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number, such as 12 or 3.5."))
        if self.min is not None and number < self.min:
            raise ValueError(_("Enter a number of at least %(min)s.") % {"min": self.min})
        if self.max is not None and number > self.max:
            raise ValueError(_("Enter a number of at most %(max)s.") % {"max": self.max})
        # Written out in full: str() of a Decimal may use an exponent ("3.6E+2" for 360).
        if number == number.to_integral():
            return format(number.normalize(), "f")  # "12.0" is 12
        return format(number, "f")


@dataclass(frozen=True)
class QuestionSet:
    code: str
    version: int
    names: dict[str, str]
    questions: tuple[Question, ...]

    def name(self, language: str) -> str:
        return localized(self.names, language)

    def question(self, code: str) -> Question | None:
        return next((question for question in self.questions if question.code == code), None)


def applicable(questions: list[Question], answers: dict) -> set[str]:
    """The codes of the questions that apply given the answers: a question shown for
    some answers applies only if the question it depends on applies too."""
    shown: set[str] = set()
    effective: dict = {}
    for question in questions:
        depends_on = question.show_if[0] if question.show_if else None
        if depends_on is None or (depends_on in shown and question.shown(effective)):
            shown.add(question.code)
            if question.code in answers:
                effective[question.code] = answers[question.code]
    return shown


def parse(data: dict) -> QuestionSet:
    """A question set from its data (a file, or what a card stored)."""
    return QuestionSet(
        code=data["code"],
        version=data["version"],
        names=data["names"],
        questions=tuple(
            Question(
                code=entry["code"],
                type=entry["type"],
                text=entry["text"],
                help=entry.get("help", {}),
                required=entry.get("required", "no"),
                personal_data=entry.get("personal_data", False),
                options=tuple(
                    Option(option["code"], option["labels"]) for option in entry.get("options", [])
                ),
                min=entry.get("min"),
                max=entry.get("max"),
                show_if=(
                    (entry["show_if"]["question"], tuple(entry["show_if"]["in"]))
                    if entry.get("show_if")
                    else None
                ),
            )
            for entry in data["questions"]
        ),
    )


def check(data: dict, languages: set[str]) -> list[str]:
    """Every problem of a question set's data: a missing translation, an unknown type, a
    condition on a later or unknown question."""
    problems = []

    def texts(where: str, texts: object) -> None:
        if not isinstance(texts, dict):
            problems.append(f"{where}: no texts")
            return
        missing = sorted(lang for lang in languages if not str(texts.get(lang) or "").strip())
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")

    if not SLUG.match(str(data.get("code", ""))):
        problems.append("code: a lower-case slug is needed")
    if not isinstance(data.get("version"), int):
        problems.append("version: a whole number is needed")
    texts("names", data.get("names"))
    earlier: dict[str, dict] = {}
    for entry in data.get("questions") or []:
        code = str(entry.get("code", ""))
        where = f"question {code or '?'}"
        if not SLUG.match(code) or code in earlier:
            problems.append(f"{where}: its code must be a slug, unique in the set")
        kind = entry.get("type")
        if kind not in TYPES:
            problems.append(f"{where}: type must be one of {', '.join(TYPES)}")
        texts(f"{where} text", entry.get("text"))
        if "help" in entry:
            texts(f"{where} help", entry["help"])
        if entry.get("required", "no") not in REQUIRED:
            problems.append(f"{where}: required must be one of {', '.join(REQUIRED)}")
        options = entry.get("options") or []
        if kind in CHOICES:
            codes = [option.get("code") for option in options]
            if len(codes) < 2 or len(set(codes)) != len(codes):
                problems.append(f"{where}: at least two options, with distinct codes")
            for option in options:
                texts(f"{where} option {option.get('code')}", option.get("labels"))
        elif options:
            problems.append(f"{where}: only choice questions have options")
        condition = entry.get("show_if")
        if condition:
            target = earlier.get(condition.get("question"))
            if target is None or target.get("type") not in CONDITIONS:
                problems.append(f"{where}: shown only after an earlier choice or yes/no question")
            else:
                allowed = (
                    {"yes", "no"}
                    if target["type"] == "yes_no"
                    else {option["code"] for option in target.get("options", [])}
                )
                if not condition.get("in") or not set(condition["in"]) <= allowed:
                    problems.append(f"{where}: shown for answers its question does not have")
        earlier[code] = entry
    if not earlier:
        problems.append("questions: none")
    return problems


@transaction.atomic
def load_question_sets(*, apps=global_apps, directory: Path = DATA_DIR) -> int:
    """Stores each set file's current version (idempotent: an existing version is
    updated in place, a new version added beside the old, which earlier cards keep)."""
    model = apps.get_model("conversations", "QuestionSet")
    languages = {code for code, _name in settings.LANGUAGES}
    loaded = 0
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        problems = check(data, languages)
        if problems:
            raise QuestionSetDataError(f"{path.name}: " + "; ".join(problems))
        model.objects.update_or_create(
            code=data["code"], version=data["version"], defaults={"data": data}
        )
        loaded += 1
    return loaded
